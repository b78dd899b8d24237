#include "study/sweep_spec.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "core/error.hpp"
#include "study/net_file.hpp"
#include "core/read_file.hpp"

namespace initlab::study {

namespace {

using Json = nlohmann::ordered_json;

enum class Kind { text, integer, real, net };

// One row of a study's parameter table: the type, the accepted range and the
// default (none: required).
struct Field {
  const char* name;
  Kind kind;
  double lo, hi;         // accepted range
  bool hi_open;          // hi itself excluded
  const char* fallback;  // JSON text of the default, nullptr = required
  const char* expected;  // for errors
};

constexpr double kBig = 1e300;

const std::vector<Field>& fields(SweepStudy s) {
  static const std::vector<Field> variance = {
      {"activation", Kind::text, 0, 0, false, "\"tanh\"", "activation names such as \"tanh\""},
      {"init", Kind::text, 0, 0, false, nullptr, "init specs such as \"he_normal\""},
      {"width", Kind::integer, 1, 8192, false, "256", "integers in [1, 8192]"},
      {"depth", Kind::integer, 1, 10000, false, "20", "integers in [1, 10000]"},
      {"batch", Kind::integer, 1, 65536, false, "128", "integers in [1, 65536]"},
      {"seeds", Kind::integer, 1, 1000, false, "4", "integers in [1, 1000]"},
      {"seed", Kind::integer, 0, 4294967295.0, false, "1", "integers in [0, 2^32)"},
      {"bias_std", Kind::real, 0, kBig, false, "0", "finite numbers >= 0"},
  };
  static const std::vector<Field> phase = {
      {"activation", Kind::text, 0, 0, false, "\"tanh\"", "activation names such as \"tanh\""},
      {"sw2", Kind::real, 0, kBig, false, nullptr, "finite numbers > 0"},
      {"sb2", Kind::real, 0, kBig, false, "0", "finite numbers >= 0"},
      {"width", Kind::integer, 1, 8192, false, "256", "integers in [1, 8192]"},
      {"depth", Kind::integer, 2, 10000, false, "50", "integers in [2, 10000]"},
      {"c0", Kind::real, -1, 1, true, "0.5", "correlations in [-1, 1)"},
      {"seeds", Kind::integer, 1, 1000, false, "4", "integers in [1, 1000]"},
      {"pairs", Kind::integer, 1, 4096, false, "16", "integers in [1, 4096]"},
      {"seed", Kind::integer, 0, 4294967295.0, false, "1", "integers in [0, 2^32)"},
  };
  static const std::vector<Field> spectrum = {
      {"activation", Kind::text, 0, 0, false, "\"tanh\"", "activation names such as \"tanh\""},
      {"ensemble", Kind::text, 0, 0, false, "\"gaussian\"", "\"gaussian\" or \"orthogonal\""},
      {"sw2", Kind::real, 0, kBig, false, nullptr, "finite numbers > 0"},
      {"sb2", Kind::real, 0, kBig, false, "0", "finite numbers >= 0"},
      {"width", Kind::integer, 1, 4096, false, "128", "integers in [1, 4096]"},
      {"depth", Kind::integer, 1, 10000, false, "10", "integers in [1, 10000]"},
      {"seeds", Kind::integer, 1, 1000, false, "2", "integers in [1, 1000]"},
      {"seed", Kind::integer, 0, 4294967295.0, false, "1", "integers in [0, 2^32)"},
  };
  static const std::vector<Field> net = {
      {"net", Kind::net, 0, 0, false, nullptr, "network file paths or network objects"},
      {"init", Kind::text, 0, 0, false, "\"net\"", "init specs, or \"net\" for each layer's own"},
      {"batch", Kind::integer, 1, 65536, false, "128", "integers in [1, 65536]"},
      {"seeds", Kind::integer, 1, 1000, false, "4", "integers in [1, 1000]"},
      {"seed", Kind::integer, 0, 4294967295.0, false, "1", "integers in [0, 2^32)"},
  };
  switch (s) {
    case SweepStudy::variance: return variance;
    case SweepStudy::phase: return phase;
    case SweepStudy::spectrum: return spectrum;
    case SweepStudy::net: return net;
  }
  return phase;
}

// sw2 must be > 0, not merely >= 0.
bool open_below(const Field& f) { return std::string_view(f.name) == "sw2"; }

std::string number_text(double v) { return Json(v).dump(); }

// A network value: a path relative to `base` (the sweep file's folder), read and
// checked, or an inline object; its text is the network's compact JSON.
SweepValue parse_net_value(const Json& j, const std::string& where, std::size_t item,
                           const std::filesystem::path& base) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  if (j.is_string() && !j.get<std::string>().empty()) {
    const std::filesystem::path path = base / j.get<std::string>();
    const NetDescription net = load_net(path);
    std::ifstream is(path, std::ios::binary);
    return {Json::parse(is).dump(), kNaN, false, net.name};
  }
  if (!j.is_object())
    fail(where, j.dump(), " is neither a network file's path nor a network object; expected ",
         "\"nets/mine.json\" or {\"input\": ..., \"layers\": [...]}");
  const NetDescription net = parse_net(j.dump(), where);
  return {j.dump(), kNaN, false, net.name.empty() ? cat("net", item) : net.name};
}

SweepValue parse_value(const Json& j, const Field& f, const std::string& where,
                       std::size_t item, const std::filesystem::path& base) {
  const std::string got = j.dump();
  if (f.kind == Kind::net) return parse_net_value(j, where, item, base);
  if (f.kind == Kind::text) {
    if (!j.is_string() || j.get<std::string>().empty())
      fail(where, got, " is not a non-empty string; expected ", f.expected);
    return {j.get<std::string>(), std::numeric_limits<double>::quiet_NaN(), true, {}};
  }
  if (!j.is_number()) fail(where, got, " is not a number; expected ", f.expected);
  const double v = j.get<double>();
  const bool below = open_below(f) ? !(v > f.lo) : !(v >= f.lo);
  const bool above = f.hi_open ? !(v < f.hi) : !(v <= f.hi);
  if (!std::isfinite(v) || below || above) fail(where, got, " is out of range; expected ", f.expected);
  if (f.kind == Kind::integer) {
    if (v != std::floor(v)) fail(where, got, " is not an integer; expected ", f.expected);
    return {cat(static_cast<std::uint64_t>(v)), v, false, {}};
  }
  return {number_text(v), v, false, {}};
}

SweepParameter parse_parameter(const Json* j, const Field& f, const std::string& source) {
  const std::string where = cat(source, ": field '", f.name, "'");
  const std::filesystem::path base = std::filesystem::path(source).parent_path();
  SweepParameter p{f.name, {}};
  if (j == nullptr) {
    if (f.fallback == nullptr) fail(where, "is missing; expected one value or a list of ", f.expected);
    p.values.push_back(parse_value(Json::parse(f.fallback), f, where, 0, base));
    return p;
  }
  if (!j->is_array()) {
    p.values.push_back(parse_value(*j, f, where, 0, base));
    return p;
  }
  if (j->empty()) fail(where, "the list is empty; expected at least one of ", f.expected);
  for (std::size_t k = 0; k < j->size(); ++k)
    p.values.push_back(parse_value((*j)[k], f, cat(where, " item ", k), k, base));
  return p;
}

std::string field_names(SweepStudy s) {
  std::string names = "study";
  for (const auto& f : fields(s)) names += cat(", ", f.name);
  return names;
}

SweepStudy parse_study(const Json& doc, const std::string& source) {
  const auto it = doc.find("study");
  const char* expected = "\"variance\", \"phase\", \"spectrum\" or \"net\"";
  if (it == doc.end()) fail(source, "field 'study' is missing; expected ", expected);
  for (auto s : {SweepStudy::variance, SweepStudy::phase, SweepStudy::spectrum, SweepStudy::net})
    if (*it == to_string(s)) return s;
  fail(source, "field 'study': ", it->dump(), " is not a study; expected ", expected);
}

}  // namespace

std::string_view to_string(SweepStudy s) {
  switch (s) {
    case SweepStudy::variance: return "variance";
    case SweepStudy::phase: return "phase";
    case SweepStudy::spectrum: return "spectrum";
    case SweepStudy::net: return "net";
  }
  return "phase";
}

std::size_t SweepSpec::size() const {
  std::size_t n = 1;
  for (const auto& p : parameters) n *= p.values.size();
  return n;
}

std::string SweepSpec::canonical() const {
  std::string out = cat("{\"study\":\"", to_string(study), "\"");
  for (const auto& p : parameters) {
    out += cat(",\"", p.name, "\":[");
    for (std::size_t k = 0; k < p.values.size(); ++k) {
      const auto& v = p.values[k];
      out += (k ? "," : "") + (v.is_string ? Json(v.text).dump() : v.text);
    }
    out += "]";
  }
  return out + "}";
}

std::string SweepSpec::fingerprint() const {
  std::uint64_t h = 14695981039346656037ull;
  for (char ch : canonical()) {
    h ^= static_cast<unsigned char>(ch);
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string SweepPoint::key() const {
  std::string k;
  for (std::size_t i = 0; i < values.size(); ++i)
    k += cat(i ? " " : "", parameters[i]->name, "=", values[i]->shown());
  return k;
}

const SweepValue& SweepPoint::at(std::string_view name) const {
  for (std::size_t i = 0; i < parameters.size(); ++i)
    if (parameters[i]->name == name) return *values[i];
  fail("SweepPoint::at", "no parameter '", name, "'; expected a parameter of the sweep's study");
}

SweepSpec parse_sweep_spec(std::string_view json_text, const std::string& source) {
  Json doc;
  try {
    doc = Json::parse(json_text);
  } catch (const Json::parse_error& e) {
    // e.what() without nlohmann's "[json.exception.parse_error.101] " id
    const std::string_view what = e.what();
    const std::size_t cut = what.find("] ");
    fail(source, "not valid JSON (", cut == std::string_view::npos ? what : what.substr(cut + 2),
         "); expected a JSON object");
  } catch (const Json::out_of_range&) {
    fail(source, "a number beyond the range of a double (such as 1e999); expected finite numbers");
  }
  if (!doc.is_object()) fail(source, "the top level is not an object; expected {\"study\": ..., ...}");
  SweepSpec spec;
  spec.study = parse_study(doc, source);
  for (const auto& [name, value] : doc.items()) {
    if (name == "study") continue;
    bool known = false;
    for (const auto& f : fields(spec.study)) known = known || name == f.name;
    if (!known)
      fail(source, "field '", name, "' is not a parameter of the ", to_string(spec.study),
           " study; expected one of ", field_names(spec.study));
  }
  double total = 1.0;
  for (const auto& f : fields(spec.study)) {
    const auto it = doc.find(f.name);
    spec.parameters.push_back(parse_parameter(it == doc.end() ? nullptr : &*it, f, source));
    total *= static_cast<double>(spec.parameters.back().values.size());
  }
  if (total > static_cast<double>(kMaxSweepSize))
    fail(source, "the sweep has ", total, " configurations; expected at most ", kMaxSweepSize);
  return spec;
}

SweepSpec load_sweep_spec(const std::filesystem::path& file) {
  return parse_sweep_spec(read_file(file, "a sweep file (JSON)"), file.string());
}

SweepPoint sweep_point(const SweepSpec& spec, std::size_t id) {
  if (id >= spec.size()) fail("sweep_point", "id ", id, " is out of range; expected < ", spec.size());
  SweepPoint p;
  p.id = id;
  p.parameters.resize(spec.parameters.size());
  p.values.resize(spec.parameters.size());
  std::size_t rest = id;
  for (std::size_t k = spec.parameters.size(); k-- > 0;) {
    const auto& par = spec.parameters[k];
    p.parameters[k] = &par;
    p.values[k] = &par.values[rest % par.values.size()];
    rest /= par.values.size();
  }
  return p;
}

}  // namespace initlab::study
