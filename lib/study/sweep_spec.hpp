#pragma once
// A sweep file: one study and, per parameter, one value or a list of values; the
// sweep is their product. A configuration is one choice per parameter; its id is
// its index in the product taken in the study's fixed parameter order (the first
// parameter outermost, the last fastest), so the same file always gives the same
// ids whatever runs it. Example:
//
//   {"study": "phase", "activation": "tanh", "sw2": [0.5, 1, 2], "sb2": [0, 0.05],
//    "width": 64, "depth": 20, "seeds": 2}
//
// Parameters of each study (default in brackets; no default: required):
//   variance: activation [tanh], init, width [256], depth [20], batch [128], seeds [4],
//             seed [1], bias_std [0]
//   phase:    activation [tanh], sw2, sb2 [0], width [256], depth [50], c0 [0.5],
//             seeds [4], pairs [16], seed [1]
//   spectrum: activation [tanh], ensemble [gaussian] (or orthogonal), sw2, sb2 [0],
//             width [128], depth [10], seeds [2], seed [1]
//   net:      net, init ["net"], batch [128], seeds [4], seed [1]
// A net value is a network file's path (relative to the sweep file's folder) or a
// network object written inline (docs/net-files.md); it is read and checked here,
// and the sweep holds its JSON, so the fingerprint changes when the file does.
// init "net" keeps each layer's own init; any other spec replaces every dense
// layer's (residual branches too). Rows: one per layer of a plain network; one per
// block of a network with residual or norm blocks, where ln_q and ln_a2 are the
// block output's ln E[y^2] and ln_grad2 its ln E[(dL/dy)^2] (lib/study/sweep.cpp).
// Strings (activation, init, ensemble) are checked when their configuration runs: a
// bad one fails that configuration only. Numbers are checked here.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace initlab::study {

enum class SweepStudy { variance, phase, spectrum, net };
std::string_view to_string(SweepStudy s);

// One value of a parameter: `text` is its canonical spelling (the string itself,
// the shortest round-trip form of the number, or a network's compact JSON);
// `number` is NaN for strings and networks; `label` names a network in keys and
// CSV cells (its "name", the file's stem, or "net" and its position).
struct SweepValue {
  std::string text;
  double number = 0.0;
  bool is_string = false;
  std::string label;
  const std::string& shown() const { return label.empty() ? text : label; }
};

struct SweepParameter {
  std::string name;
  std::vector<SweepValue> values;  // >= 1, in the order given
};

struct SweepSpec {
  SweepStudy study = SweepStudy::phase;
  std::vector<SweepParameter> parameters;  // every parameter of the study, in its fixed order
  std::size_t size() const;                // number of configurations (the product)
  // {"study":..., "name": [values...], ...} in the fixed order, one line; its hash
  // tells a journal written for this sweep from one written for another.
  std::string canonical() const;
  std::string fingerprint() const;         // 16 hex digits (FNV-1a 64 of canonical())
};

// One configuration: values[k] is the value of spec.parameters[k].
struct SweepPoint {
  std::size_t id = 0;
  std::vector<const SweepParameter*> parameters;
  std::vector<const SweepValue*> values;
  std::string key() const;  // "activation=tanh sw2=0.5 ..."
  const SweepValue& at(std::string_view name) const;  // throws if the study has no such parameter
};

// Largest sweep accepted (ids fit every index type we use).
inline constexpr std::size_t kMaxSweepSize = 100'000'000;

// Parses the JSON text of a sweep file; `source` (the file name) starts every
// error: "FILE: field 'sw2' item 2: -1 is not > 0; expected ...", and network
// paths are read relative to its folder.
SweepSpec parse_sweep_spec(std::string_view json_text, const std::string& source);
// Reads and parses FILE; throws std::invalid_argument naming it if it cannot be read.
SweepSpec load_sweep_spec(const std::filesystem::path& file);

// Configuration `id` (< spec.size()).
SweepPoint sweep_point(const SweepSpec& spec, std::size_t id);

}  // namespace initlab::study
