// initlab.theory and initlab.variance: the studies of `initlab theory` and
// `initlab variance`, returned as dicts of numpy arrays keyed by the columns of
// their CSV files (one entry per row: per layer; variance: per activation, init, layer).
//
//   initlab.theory(activation="tanh", sw2=1.0, sb2=0.0, q0=1.0, depth=100,
//                  widths=None, mode="fan_in")
//   initlab.variance(activation="tanh", init="lecun_normal", width=512, depth=100,
//                    widths=None, batch=256, seeds=4, seed=0, bias_std=0.0, threads=1)
//     activation and init may be lists; the rows follow the CSV (activation-major).

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "core/activation.hpp"
#include "core/error.hpp"
#include "study/variance_study.hpp"
#include "theory/meanfield.hpp"
#include "variance_output.hpp"

namespace initlab::python {
namespace {

using nlohmann::json;

std::vector<std::string> names(const py::object& o) {
  if (py::isinstance<py::str>(o)) return {o.cast<std::string>()};
  return o.cast<std::vector<std::string>>();
}

// One CSV column as an array: numbers (null -> NaN) as float64, booleans as bool,
// anything else as a numpy array of Python objects (strings).
py::array column(const json& values) {
  bool numeric = true, boolean = true;
  for (const auto& v : values) {
    numeric = numeric && (v.is_number() || v.is_null());
    boolean = boolean && v.is_boolean();
  }
  const auto n = static_cast<py::ssize_t>(values.size());
  if (boolean && n > 0) {
    py::array_t<bool> a(n);
    for (py::ssize_t i = 0; i < n; ++i) a.mutable_at(i) = values[static_cast<std::size_t>(i)].get<bool>();
    return std::move(a);
  }
  if (numeric) {
    py::array_t<double> a(n);
    for (py::ssize_t i = 0; i < n; ++i) {
      const auto& v = values[static_cast<std::size_t>(i)];
      a.mutable_at(i) = v.is_null() ? std::numeric_limits<double>::quiet_NaN() : v.get<double>();
    }
    return std::move(a);
  }
  return py::module_::import("numpy").attr("array")(to_python(values));
}

// The columns of `initlab theory --csv` (analysis/theory_cmd.cpp), width NaN without widths.
py::dict theory(const std::string& activation, double sw2, double sb2, double q0,
                std::size_t depth, const std::optional<std::vector<std::size_t>>& widths,
                const std::string& mode) {
  const Activation f = Activation::parse(activation);
  if (!(sw2 >= 0.0) || !(sb2 >= 0.0) || !(q0 >= 0.0)) {
    fail("initlab.theory", "sw2 ", sw2, ", sb2 ", sb2, ", q0 ", q0, "; expected values >= 0");
  }
  theory::Architecture arch;
  if (widths) {
    if (widths->size() < 2) fail("initlab.theory", "widths needs n_0 and at least one layer");
    arch.activations = {f};
    arch.widths = *widths;
    arch.weight_variance = theory::weight_variances(sw2, *widths, mode);
    arch.sb2 = sb2;
    arch.q0 = q0;
  } else {
    if (depth < 1) fail("initlab.theory", "depth ", depth, "; expected >= 1");
    arch = theory::uniform_architecture(f, sw2, sb2, q0, depth);
  }
  theory::Trajectory t;
  {
    py::gil_scoped_release release;
    t = theory::trajectory(arch);
  }
  Rows rows({"layer", "width", "sw2", "q", "ln_q", "second", "ln_second", "variance", "ln_variance", "mean",
             "dphi2", "chi1", "qt", "ln_qt", "grad2", "ln_grad2", "overflow"},
            Rows::kKeepInfinite);
  for (const auto& y : t.layers) {
    const double width = widths ? static_cast<double>((*widths)[y.layer]) : std::nan("");
    for (double v : {static_cast<double>(y.layer), width, y.sw2, y.q, y.ln_q, y.second, y.ln_second, y.variance,
                     y.ln_variance, y.mean, y.dphi2, y.chi1, y.qt, y.ln_qt, y.grad2, y.ln_grad2}) {
      rows.add(v);
    }
    rows.add(y.overflow);
  }
  return rows.dict();
}

// The rows of `initlab variance --csv`, read from the JSON writer's per-pair columns.
py::dict variance(const py::object& activation, const py::object& init, std::size_t width,
                  std::size_t depth, const std::optional<std::vector<std::size_t>>& widths,
                  std::size_t batch, std::size_t seeds, std::uint64_t seed, double bias_std,
                  int threads) {
  study::VarianceConfig c;
  for (const auto& a : names(activation)) c.activations.push_back(Activation::parse(a));
  c.inits = names(init);
  c.widths = widths ? *widths : std::vector<std::size_t>(depth + 1, width);
  c.batch = batch;
  c.seeds = seeds;
  c.seed = seed;
  c.bias_std = bias_std;
  c.threads = threads;
  const json j = json::parse(run_released(c, [](const study::VarianceConfig& config) {
    std::ostringstream os;
    tool::write_variance_json(os, config, study::run_variance(config), "gaussian");
    return os.str();
  }));
  json all = json::object();
  for (const auto& name : tool::variance_csv_columns()) all[name] = json::array();
  for (const auto& p : j.at("pairs")) {
    for (const auto& name : tool::variance_csv_columns()) {
      for (const auto& v : p.at("layers").at(name)) all[name].push_back(v);
    }
  }
  return columns(tool::variance_csv_columns(), all);
}

}  // namespace

py::dict columns(const std::vector<std::string>& order, const json& cols) {
  py::dict d;
  for (const auto& name : order) d[py::str(name)] = column(cols.at(name));
  return d;
}

Rows::Rows(std::vector<std::string> names, bool keep_infinite)
    : order_(std::move(names)), keep_infinite_(keep_infinite) {
  for (const auto& n : order_) cols_[n] = json::array();
}

void Rows::add(double v) {
  const bool empty = keep_infinite_ ? std::isnan(v) : !std::isfinite(v);
  push(empty ? json(nullptr) : json(v));
}
void Rows::add(const std::string& text) { push(text); }
void Rows::add(bool flag) { push(flag); }

void Rows::push(json cell) {
  cols_[order_[next_]].push_back(std::move(cell));
  next_ = (next_ + 1) % order_.size();
}

void bind_studies(py::module_& m) {
  m.def("theory", &theory, py::arg("activation") = "tanh", py::arg("sw2") = 1.0,
        py::arg("sb2") = 0.0, py::arg("q0") = 1.0, py::arg("depth") = 100,
        py::arg("widths") = py::none(), py::arg("mode") = "fan_in",
        "Mean-field trajectory per layer: a dict of numpy arrays keyed by the columns of "
        "`initlab theory --csv`.");
  m.def("variance", &variance, py::arg("activation") = "tanh",
        py::arg("init") = "lecun_normal", py::arg("width") = 512, py::arg("depth") = 100,
        py::arg("widths") = py::none(), py::arg("batch") = 256, py::arg("seeds") = 4,
        py::arg("seed") = 0, py::arg("bias_std") = 0.0, py::arg("threads") = 1,
        "Variance versus depth, measured beside the theory: a dict of numpy arrays keyed by "
        "the columns of `initlab variance --csv` (one entry per activation, init, layer).");
}

}  // namespace initlab::python
