// `initlab report --net FILE --out DIR`: the self-contained report of a described
// network (docs/net-files.md). The variance study of `initlab variance --net`
// (the same config, study and writer), then scripts/report/net.py draws the
// Markdown report and the PNG figures from the JSON it wrote:
//
//   DIR/net_variance.csv, DIR/net_variance.json   per layer (block), findings, histograms
//   DIR/report.md, DIR/NAME-signal.png, DIR/NAME-histograms.png
//
// Everything is written into DIR/.report.partial first and moved into DIR at the
// end, so DIR never holds the files of a half-finished run (an interrupted run's
// folder is cleared by the next run into DIR).

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "command.hpp"
#include "core/error.hpp"
#include "net_variance_output.hpp"
#include "option_checks.hpp"
#include "output.hpp"
#include "report_figures.hpp"
#include "variance_net.hpp"

namespace initlab::tool {
namespace {

namespace fs = std::filesystem;

constexpr const char* kStaging = ".report.partial";
constexpr int kFiguresMissingExit = 3;  // --figures yes without python3 + matplotlib (the data is written)

struct Options {
  VarianceNetArgs run;
  std::string figures = "auto";  // auto | yes | no
  std::string script;
};

// Layers 1, ceil(L/2) and L (fewer when they coincide).
std::string default_histograms(std::size_t depth) {
  std::string s;
  for (std::size_t l : std::set<std::size_t>{1, (depth + 1) / 2, depth}) s += (s.empty() ? "" : ",") + cat(l);
  return s;
}

// Every file of STAGING renamed into DIR, then STAGING removed.
void publish(const fs::path& staging, const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(staging)) {
    std::error_code ec;
    fs::rename(e.path(), dir / e.path().filename(), ec);
    if (ec) throw OutputError(cat((dir / e.path().filename()).string(), ": cannot move into place (", ec.message(), ")"));
  }
  fs::remove(staging);
}

// Removes the staging folder unless it was published.
struct StagingGuard {
  fs::path path;
  ~StagingGuard() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
};

void run(const Options& o) {
  VarianceNetArgs a = o.run;
  const std::string script = report_script(o.script);
  // The network first (its depth picks the default histograms); bad input before any work.
  if (a.histograms.empty()) a.histograms = default_histograms(load_net_option(a.net).blocks.size());
  const study::NetVarianceConfig c = net_variance_config(a);
  const std::string missing = o.figures == "no" ? "" : figures_unavailable(script);
  std::optional<FolderLock> lock;
  lock_output_dir(lock, "--out", a.out);
  const fs::path dir(a.out);
  StagingGuard staging{dir / kStaging};
  fs::remove_all(staging.path);  // left by an interrupted run (we hold DIR's lock)
  fs::create_directory(staging.path);

  const study::NetVarianceResult r = study::run_net_variance(c);
  StagedFiles files;
  files.add((staging.path / "net_variance.csv").string(), [&](std::ostream& os) { write_net_variance_csv(os, c, r); });
  files.add((staging.path / "net_variance.json").string(),
            [&](std::ostream& os) { write_net_variance_json(os, c, r, a.input); });
  files.commit();
  const bool draw = o.figures != "no" && missing.empty();
  std::string failure;
  if (draw) {
    std::cerr << "report: drawing with " << script << "\n";
    try {
      draw_report(script, staging.path.string(), "scripts/report/net.py, run by initlab report");
    } catch (const std::runtime_error& e) {
      failure = e.what();  // the data is still published below
    }
  }
  publish(staging.path, dir);
  staging.path.clear();
  write_net_variance_summary(std::cout, c, r);
  if (!failure.empty()) throw std::runtime_error(failure + "; the data is in " + a.out);
  if (draw) {
    std::cout << "report: wrote " << (dir / "report.md").string() << ", its figures and the data\n";
    return;
  }
  if (o.figures == "no") {
    std::cout << "report: wrote the data into " << a.out << " (--figures no)\n";
    return;
  }
  std::cerr << (o.figures == "yes" ? "initlab: error: " : "report: ") << "figures not drawn: " << missing
            << "; the data is in " << a.out << " (install python3-matplotlib, e.g. scripts/deps.sh, then run "
            << "python3 " << script << " --dir " << a.out << ")\n";
  if (o.figures == "yes") throw ExitCode{kFiguresMissingExit};
}

Run setup(CLI::App& sub) {
  auto o = std::make_shared<Options>();
  VarianceNetArgs& a = o->run;
  a.batch = 128;
  add_net_options(sub, a.net);
  sub.add_option("--out", a.out, "Folder of the report (created; its report files are replaced)")
      ->type_name("DIR")
      ->required();
  sub.add_option("--batch", a.batch, "Inputs per network")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20))
      ->capture_default_str();
  sub.add_option("--seeds", a.seeds, "Independent networks R (seeds S..S+R-1); the spreads are over them")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000}))
      ->capture_default_str();
  sub.add_option("--seed", a.seed, "First seed S (weights, input and output gradient)")->capture_default_str();
  sub.add_option("--input", a.input,
                 "gaussian: x ~ N(0, 1) per entry; mnist: B of the 10,000 MNIST digits (n_0 = 784)")
      ->check(CLI::IsMember({"gaussian", "mnist"}))
      ->capture_default_str();
  sub.add_option("--data", a.data, "Data folder holding mnist/ and cache/ (see `make deps`)")->capture_default_str();
  sub.add_option("--dtype", a.dtype, "Element type: auto = float unless the predicted range needs double")
      ->check(CLI::IsMember({"auto", "float", "double"}))
      ->capture_default_str();
  sub.add_option("--threads", a.threads, "BLAS threads")->check(CLI::Range(1, 256))->capture_default_str();
  sub.add_option("--histograms", a.histograms,
                 "Layers (blocks) whose values are histogrammed, e.g. 1-5 or 1,2,10 (default: the first, "
                 "middle and last)");
  sub.add_option("--hist-bins", a.hist_bins, "Histogram bins")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000}))
      ->capture_default_str();
  sub.add_option("--hist-range", a.hist_range,
                 "One histogram range LO,HI for every layer (default: each layer's +-4 sqrt of its predicted "
                 "second moment)");
  sub.add_option("--figures", o->figures,
                 "auto: draw report.md and the PNGs when python3 with matplotlib is there, else write the data "
                 "and say so (exit 0); yes: the same, but exit 3 when they cannot be drawn; no: the data only")
      ->check(CLI::IsMember({"auto", "yes", "no"}))
      ->capture_default_str();
  sub.add_option("--script", o->script,
                 "The drawing script (default $INITLAB_REPORT_SCRIPT, else scripts/report/net.py of the source "
                 "tree initlab was built from); python3 is $INITLAB_PYTHON, else /usr/bin/python3, else python3 on PATH")
      ->type_name("FILE");
  sub.add_flag("--progress", a.progress, "Progress on stderr even when it is not a terminal");
  sub.footer("The study is `initlab variance --net`'s (same seeds, same numbers, same findings, computed in C++); "
             "net.py only formats them. Exit 2 for bad input, 3 for --figures yes without matplotlib.");
  return [o] {
    if (!o->run.net.given()) fail("--net", "missing; expected --net FILE or --arch STRING");
    o->run.progress_name = "report";
    run(*o);
  };
}

const Registration reg{"report",
                       "The report of a described network: per-layer signal and gradients beside theory, "
                       "histograms, findings (Markdown, PNG, CSV, JSON)",
                       setup};

}  // namespace
}  // namespace initlab::tool
