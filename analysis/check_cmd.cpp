// `initlab check`: is a stored weight tensor a draw of an initializer spec?
//
//   initlab check FILE.npy --expect SPEC|auto [--layout out_in|in_out] [--level 1e-6] [--json]
//
// Exit 0 when consistent (auto: with at least one spec), 1 when rejected at the
// level, 2 on bad input. The tests and their null distributions:
// lib/study/check_study.hpp and docs/theory.md.

#include <iomanip>
#include <sstream>
#include <iostream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "check_json.hpp"
#include "command.hpp"
#include "core/error.hpp"
#include "data/npy.hpp"
#include "output.hpp"
#include "study/check_study.hpp"

namespace initlab::tool {
namespace {

using nlohmann::json;

struct Options {
  std::string file;
  std::string expect;
  std::string layout = "out_in";
  double level = 1e-6;
  bool json = false;
};

json header_json(const Options& o, const study::WeightView& v, const data::NpyArray& a) {
  return {{"provenance", provenance_json()}, {"file", o.file},
          {"shape", a.shape},            {"dtype", data::to_string(a.dtype)},
          {"layout", o.layout},          {"fan_in", v.fans.in},
          {"fan_out", v.fans.out},       {"receptive_field", v.receptive}};
}

std::string p_text(const study::CheckTest& t) {
  if (t.deterministic) return "-";
  std::ostringstream os;
  os << std::setprecision(3) << t.p_value;
  return os.str();
}

void print_result(const study::CheckResult& r, std::ostream& os) {
  os << "expect   " << r.spec << "  (" << r.canonical << ")\n"
     << "law      " << r.law << "\n"
     << std::setprecision(6) << "moments  mean " << r.mean << " (promised " << r.promised_mean
     << "), variance " << r.variance << " (promised " << r.promised_variance << ")\n"
     << std::setprecision(3) << "level    " << r.level << ", each statistical test at "
     << r.test_level << " (Bonferroni)\n\n"
     << std::left << std::setw(10) << "test" << std::setw(36) << "statistic" << std::setw(12)
     << "value" << std::setw(11) << "p-value" << "verdict\n";
  for (const auto& t : r.tests) {
    std::ostringstream v;
    v << std::setprecision(5) << t.value;
    os << std::setw(10) << t.name << std::setw(36) << t.statistic << std::setw(12) << v.str()
       << std::setw(11) << p_text(t) << (t.rejected ? "REJECTED" : "ok") << "  " << t.method
       << "\n";
  }
  os << std::right << "\nverdict  " << (r.consistent ? "consistent" : "rejected") << "\n";
}

void run(const Options& o) {
  if (o.file.empty()) fail("check", "expected FILE.npy --expect SPEC");
  if (o.expect.empty()) fail("check " + o.file, "expected --expect SPEC (or --expect auto)");
  const study::Layout layout = study::parse_layout(o.layout);
  const data::NpyArray a = data::read_npy(o.file);
  const study::WeightView view = study::weight_view(a.shape, layout);
  json j = header_json(o, view, a);
  if (!o.json) {
    std::cout << "file     " << o.file << "  " << shape_str(a.shape) << " "
              << data::to_string(a.dtype) << ", layout " << o.layout << ": fan_in "
              << view.fans.in << ", fan_out " << view.fans.out << "\n";
  }
  bool ok = false;
  if (o.expect == "auto") {
    const auto results = study::check_auto(a.values, a.shape, a.dtype, layout, o.level);
    j.update(check_auto_json(results));
    ok = !j["consistent"].empty();
    if (!o.json) {
      std::cout << "tested   " << results.size() << " specs at level " << o.level << "\n"
                << "consistent with: " << (ok ? "" : "none") << "\n";
      for (const auto& r : results) {
        if (r.consistent) std::cout << "  " << r.spec << "  (" << r.canonical << ")\n";
      }
    }
  } else {
    const auto r = study::check_tensor(a.values, a.shape, a.dtype, o.expect, layout, o.level);
    ok = r.consistent;
    j.update(check_json(r));
    if (!o.json) print_result(r, std::cout);
  }
  if (o.json) write_output("-", [&](std::ostream& os) { os << json_text(j, 2) << "\n"; });
  std::cout.flush();
  if (!ok) throw ExitCode{1};
}

Run setup(CLI::App& sub) {
  auto o = std::make_shared<Options>();
  sub.add_option("file", o->file, "The weight tensor, a .npy file of float32 or float64");
  sub.add_option("--expect", o->expect,
                 "The initializer spec it should be a draw of (see initlab init --list), or "
                 "'auto' to list every registry spec it is consistent with");
  sub.add_option("--layout", o->layout,
                 "out_in: (out, in, k...) as PyTorch and initlab; in_out: (k..., in, out) as "
                 "Keras and JAX. fan_in = in * prod(k), fan_out = out * prod(k)")
      ->capture_default_str();
  sub.add_option("--level", o->level,
                 "Family-wise level: a true draw is rejected with probability at most this")
      ->capture_default_str();
  sub.add_flag("--json", o->json, "Print the result as JSON");
  return [o] { run(*o); };
}

const Registration reg{"check",
                       "Test a stored weight tensor (.npy) against an initializer's law: "
                       "bounds, mean, variance, Kolmogorov-Smirnov; exit 0 consistent, 1 "
                       "rejected",
                       setup};

}  // namespace
}  // namespace initlab::tool
