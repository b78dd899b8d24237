// initlab.critical, initlab.phase and initlab.spectrum: the studies of
// `initlab critical`, `initlab phase` and `initlab spectrum`. phase and spectrum
// return dicts of numpy arrays keyed by the columns of their CSV files (one entry
// per row: per cell; per activation, ensemble and depth); critical returns the
// fields of its JSON.
//
//   initlab.critical(activation="tanh", bias_std=0.0)
//   initlab.phase(activation="tanh", sw2=[...], sb2=[...], width=256, depth=50, c0=0.5,
//                 q0=None, seeds=4, pairs=16, seed=1)
//   initlab.spectrum(activation=["linear", "tanh", "relu"], init=["gaussian", "orthogonal"],
//                    sw2=None, sb2=0.0, width=256, depths=[1, 10, 50, 100], seeds=2, seed=1,
//                    q0=None)

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "core/activation.hpp"
#include "core/error.hpp"
#include "study/critical_init.hpp"
#include "study/phase_study.hpp"
#include "study/spectrum_study.hpp"
#include "theory/correlation_fixed_point.hpp"
#include "theory/jacobian_spectrum.hpp"

namespace initlab::python {
namespace {

py::dict critical(const std::string& activation, double bias_std) {
  const study::CriticalInit c = study::critical_init(Activation::parse(activation), bias_std);
  py::dict d;
  d["activation"] = c.activation.name();
  d["bias_std"] = c.bias_std;
  d["sb2"] = c.sb2;
  d["exists"] = c.exists;
  d["reason"] = c.reason;
  d["sw2"] = c.sw2;
  d["gain"] = c.gain;
  d["q_star"] = c.exists ? py::object(py::float_(c.fixed.q)) : py::object(py::none());
  d["chi1"] = c.fixed.chi1;
  d["init"] = c.weight_spec;
  d["init_orthogonal"] = c.orthogonal_spec;
  d["bias_init"] = c.bias_spec;
  return d;
}

// The rows of `initlab phase --csv` (analysis/phase_cmd.cpp), one per cell, sb2-major.
py::dict phase(const std::string& activation, const std::vector<double>& sw2,
               const std::vector<double>& sb2, std::size_t width, std::size_t depth, double c0,
               std::optional<double> q0, std::size_t seeds, std::size_t pairs, std::size_t probe_pairs,
               std::uint64_t seed) {
  study::PhaseConfig c;
  c.activation = Activation::parse(activation);
  c.sw2s = sw2;
  c.sb2s = sb2;
  c.width = width;
  c.depth = depth;
  c.c0 = c0;
  c.q0 = q0;
  c.seeds = seeds;
  c.pairs = pairs;
  c.probe_pairs = probe_pairs;
  c.seed = seed;
  const study::PhaseResult r = run_released(c, study::run_phase);
  Rows t({"activation", "sw2", "sb2", "depth", "width", "seeds", "q0", "phase", "q", "q_sd", "q_theory",
          "c", "c_sd", "c_theory", "c_star", "chi1", "chi1_sd", "chi1_theory", "chi1_star", "xi_c",
          "xi_c_sd", "xi_c_window", "xi_c_theory", "fit_first", "fit_last", "chi_c_probe",
          "chi_c_probe_lo", "chi_c_probe_hi", "chi_c_theory", "xi_c_probe", "xi_c_probe_lo", "xi_c_probe_hi",
          "probe_groups", "diverged"});
  for (const auto& x : r.cells) {
    t.add(c.activation.name());
    for (double v : {x.sw2, x.sb2, double(depth), double(width), double(seeds), x.q0}) t.add(v);
    t.add(std::string(theory::to_string(x.fixed.phase)));
    for (double v : {x.q.mean, x.q.sd, x.q_theory, x.c.mean, x.c.sd, x.c_theory, x.fixed.c,
                     x.chi1.mean, x.chi1.sd, x.chi1_theory, x.fixed.chi1, x.xi_c.mean, x.xi_c.sd,
                     x.xi_c_window, x.xi_c_theory, double(x.fit_first), double(x.fit_last),
                     x.chi_c_probe.chi_c, x.chi_c_probe.lo, x.chi_c_probe.hi, x.fixed.chi_c,
                     x.chi_c_probe.xi, x.chi_c_probe.xi_lo,
                     std::isinf(x.chi_c_probe.xi_hi) ? std::nan("") : x.chi_c_probe.xi_hi,  // the CSV: empty
                     double(x.chi_c_probe.groups), x.diverged ? 1.0 : 0.0}) {
      t.add(v);
    }
  }
  return t.dict();
}

theory::WeightEnsemble ensemble(const std::string& s) {
  if (s == "gaussian") return theory::WeightEnsemble::gaussian;
  if (s == "orthogonal") return theory::WeightEnsemble::orthogonal;
  fail("initlab.spectrum", "init '", s, "', expected gaussian or orthogonal");
}

// The rows of `initlab spectrum --csv` (analysis/spectrum_cmd.cpp), activation-major.
py::dict spectrum(const std::vector<std::string>& activation, const std::vector<std::string>& init,
                  std::optional<double> sw2, double sb2, std::size_t width,
                  const std::vector<std::size_t>& depths, std::size_t seeds, std::uint64_t seed,
                  std::optional<double> q0) {
  study::SpectrumConfig c;
  for (const auto& a : activation) c.activations.push_back(Activation::parse(a));
  for (const auto& e : init) c.ensembles.push_back(ensemble(e));
  c.sw2 = sw2;
  c.sb2 = sb2;
  c.width = width;
  c.depths = depths;
  c.seeds = seeds;
  c.seed = seed;
  c.q0 = q0;
  const study::SpectrumResult r = run_released(c, study::run_spectrum);
  Rows t({"activation", "init", "depth", "width", "seeds", "sw2", "sb2", "q_theory", "mean_s2",
          "mean_s2_sd", "mean_s2_theory", "var_s2", "var_s2_sd", "var_s2_theory", "min_s", "max_s",
          "diverged"});
  for (const auto& p : r.pairs) {
    for (const auto& x : p.rows) {
      t.add(p.activation.name());
      t.add(std::string(theory::to_string(p.ensemble)));
      for (double v : {double(x.depth), double(width), double(seeds), p.sw2, sb2, x.q_theory,
                       x.mean_s2.mean, x.mean_s2.sd, x.mean_s2_theory, x.var_s2.mean, x.var_s2.sd,
                       x.var_s2_theory, x.min_s, x.max_s, p.diverged ? 1.0 : 0.0}) {
        t.add(v);
      }
      }
  }
  return t.dict();
}

}  // namespace

void bind_criticality(py::module_& m) {
  m.def("critical", &critical, py::arg("activation") = "tanh", py::arg("bias_std") = 0.0,
        "The critical (edge-of-chaos) initializer: the fields of `initlab critical --json` "
        "(sw2, gain, q_star, the --init spec; exists False with the reason where there is none).");
  m.def("phase", &phase, py::arg("activation") = "tanh",
        py::arg("sw2") = std::vector<double>{0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0},
        py::arg("sb2") = std::vector<double>{0.0, 0.05, 0.1, 0.2, 0.3}, py::arg("width") = 256,
        py::arg("depth") = 50, py::arg("c0") = 0.5, py::arg("q0") = py::none(), py::arg("seeds") = 4,
        py::arg("pairs") = 16, py::arg("probe_pairs") = 16, py::arg("seed") = 1,
        "The order-to-chaos phase diagram: a dict of numpy arrays keyed by the columns of "
        "`initlab phase --csv` (one entry per (sb2, sw2) cell, sb2-major).");
  m.def("spectrum", &spectrum,
        py::arg("activation") = std::vector<std::string>{"linear", "tanh", "relu"},
        py::arg("init") = std::vector<std::string>{"gaussian", "orthogonal"}, py::arg("sw2") = py::none(),
        py::arg("sb2") = 0.0, py::arg("width") = 256,
        py::arg("depths") = std::vector<std::size_t>{1, 10, 50, 100}, py::arg("seeds") = 2,
        py::arg("seed") = 1, py::arg("q0") = py::none(),
        "Jacobian singular values beside free probability: a dict of numpy arrays keyed by the "
        "columns of `initlab spectrum --csv` (one entry per activation, ensemble, depth).");
}

}  // namespace initlab::python
