// `initlab variance`: second moments of the signal and of the gradients layer by
// layer, measured on R networks per (activation, init) and set beside the
// mean-field prediction (lib/study/variance_study.hpp).
//
//   initlab variance [--activation A]... [--init SPEC]... [--width N --depth L | --widths N0,...,NL]
//                    [--batch B] [--seeds R] [--seed S] [--input gaussian|mnist] [--bias-std S]
//                    [--dtype auto|float|double] [--rescale auto|always|never] [--out DIR] [--csv FILE|-] [--json FILE|-]
//                    [--histograms LAYERS [--hist-bins N] [--hist-range LO,HI]]
//                    [--threads N] [--progress]

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "command.hpp"
#include "layer_list.hpp"
#include "core/error.hpp"
#include "core/parse.hpp"
#include "data/mnist.hpp"
#include "nn/activation.hpp"
#include "option_checks.hpp"
#include "output.hpp"
#include "study/variance_study.hpp"
#include "variance_output.hpp"
#include "variance_net.hpp"

namespace initlab::tool {
namespace {

struct Options {
  std::vector<std::string> activations = {"linear", "tanh", "relu"};
  std::vector<std::string> inits = {"lecun_normal", "xavier_normal", "he_normal", "orthogonal",
                                    "identity:1.5", "identity:0.5", "note_uniform",
                                    "note_standard_normal"};
  std::size_t width = 512;
  std::string widths;
  std::size_t depth = 100;
  std::size_t batch = 256;
  std::size_t seeds = 4;
  std::uint64_t seed = 1;
  std::string input = "gaussian";
  std::string data = "data";
  double bias_std = 0.0;
  std::string dtype = "auto";
  std::string rescale = "auto";
  std::string out;
  std::string csv;
  std::string json;
  std::string histograms;
  std::size_t hist_bins = 200;
  std::string hist_range = "-1.2,1.2";
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  bool progress = false;
  NetOption net;  // --net / --arch: a described network instead of the grid
  CLI::Option* depth_opt = nullptr;
  CLI::Option* hist_range_opt = nullptr;
};

study::VarianceConfig make_config(const Options& o) {
  study::VarianceConfig c;
  for (const auto& a : o.activations) c.activations.push_back(Activation::parse(a));
  c.inits = o.inits;
  if (!o.widths.empty()) {
    if (o.depth_opt->count() > 0) fail("--depth", "give either --widths N0,...,NL or --width N --depth L, not both");
    for (const auto& w : split_list("--widths", o.widths)) {
      c.widths.push_back(parse_number<std::size_t>("--widths", w, "positive integers n_0,...,n_L"));
    }
  } else {
    c.widths.assign(o.depth + 1, o.width);
  }
  c.batch = o.batch;
  c.seeds = o.seeds;
  c.seed = o.seed;
  c.bias_std = o.bias_std;
  c.dtype = o.dtype == "float" ? study::Dtype::float32
            : o.dtype == "double" ? study::Dtype::float64 : study::Dtype::automatic;
  c.rescale = o.rescale == "always" ? study::Rescale::always
              : o.rescale == "never"  ? study::Rescale::never : study::Rescale::automatic;
  c.threads = o.threads;
  if (!o.histograms.empty()) {
    c.histograms.layers = parse_layers("--histograms", o.histograms, c.widths.size() - 1);
    c.histograms.bins = o.hist_bins;
    std::tie(c.histograms.lo, c.histograms.hi) = parse_range("--hist-range", o.hist_range);
  }
  if (o.input == "mnist") {
    Matrix<float> pool = mnist_input_pool(o.data);
    if (!o.widths.empty() && c.widths.front() != data::kMnistPixels) {
      fail("--widths " + o.widths, "with --input mnist n_0 must be ", data::kMnistPixels);
    }
    c.widths.front() = data::kMnistPixels;
    c.input_pool = std::move(pool);
  }
  study::validate(c);
  return c;
}

void run_net(const Options& o) {
  // The grid's default range [-1.2, 1.2] suits bounded activations; a network's
  // layers get ranges from their theory unless --hist-range is given.
  const bool range_given = o.hist_range_opt->count() > 0;
  run_variance_net({o.net, o.batch, o.seeds, o.seed, o.input, o.data, o.dtype, o.threads, o.progress, o.out,
                    o.csv, o.json, o.histograms, o.hist_bins, range_given ? o.hist_range : ""});
}

void run(const Options& o) {
  if (o.net.given()) return run_net(o);
  study::VarianceConfig c = make_config(o);
  std::string csv = o.csv, json = o.json, hist;
  std::optional<FolderLock> lock;
  if (!o.out.empty()) {
    lock_output_dir(lock, "--out", o.out);
    const std::filesystem::path dir(o.out);
    if (csv.empty()) csv = (dir / "variance.csv").string();
    if (json.empty()) json = (dir / "variance.json").string();
    if (!c.histograms.layers.empty()) hist = (dir / "histograms.csv").string();
  }
  check_output("--csv", csv);
  check_output("--json", json);
  check_output("--out", hist);
  const bool show = o.progress || ::isatty(2);
  const auto start = std::chrono::steady_clock::now();
  if (show) {
    c.progress = [start, tty = ::isatty(2) != 0](std::size_t done, std::size_t total,
                                                 const std::string& what) {
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::cerr << (tty ? "\r\033[K" : "") << "variance: [" << done << "/" << total << "] " << what
                << ", " << static_cast<long>(s) << " s" << (tty && done < total ? "" : "\n")
                << std::flush;
    };
  }
  const study::VarianceResult res = study::run_variance(c);
  // One result set: every file is staged first and all are renamed together.
  StagedFiles files;
  if (!csv.empty()) files.add(csv, [&](std::ostream& os) { write_variance_csv(os, c, res); });
  if (!json.empty()) {
    files.add(json, [&](std::ostream& os) { write_variance_json(os, c, res, o.input); });
  }
  if (!hist.empty()) files.add(hist, [&](std::ostream& os) { write_histogram_csv(os, c, res); });
  files.commit();
  if (csv != "-" && json != "-") write_variance_summary(std::cout, c, res);
}

Run setup(CLI::App& sub) {
  auto o = std::make_shared<Options>();
  sub.add_option("--activation", o->activations,
                 std::string("Activation of every layer: ") + Activation::kSpecs +
                     "; repeat the option (or give a comma list) for several")
      ->delimiter(',')
      ->capture_default_str();
  sub.add_option("--init", o->inits,
                 "Weight init spec for every layer (see `initlab init --list`), e.g. he_normal, "
                 "identity:1.5, note_standard_normal, or lsuv[:tol=0.1,max_iter=10] (data-dependent: "
                 "orthogonal, then each layer rescaled on the batch until |Var(h^l) - 1| <= tol); "
                 "repeat the option for several")
      ->capture_default_str();
  sub.add_option("--width", o->width, "Width n of every layer, input included (n_0 = n)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20))
      ->capture_default_str();
  sub.add_option("--widths", o->widths,
                 "All widths n_0,n_1,...,n_L (depth L = count - 1), e.g. 784,300,300,300,300; "
                 "replaces --width and --depth");
  o->depth_opt = sub.add_option("--depth", o->depth, "Number of layers L")
                     ->check(CLI::Range(std::size_t{1}, std::size_t{100000}))
                     ->capture_default_str();
  sub.add_option("--batch", o->batch, "Inputs per network (statistics average over them)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20))
      ->capture_default_str();
  sub.add_option("--seeds", o->seeds,
                 "Independent networks R per (activation, init): seeds S..S+R-1; the spread "
                 "columns are over them")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000}))
      ->capture_default_str();
  sub.add_option("--seed", o->seed, "First seed S (weights, input and output gradient)")
      ->capture_default_str();
  sub.add_option("--input", o->input,
                 "gaussian: x ~ N(0, 1) per entry; mnist: B of the 10,000 MNIST digits "
                 "(pixels/255, n_0 = 784), a seeded choice per network")
      ->check(CLI::IsMember({"gaussian", "mnist"}))
      ->capture_default_str();
  sub.add_option("--data", o->data, "Data folder holding mnist/ and cache/ (see `make deps`)")
      ->capture_default_str();
  sub.add_option("--bias-std", o->bias_std, "Bias b ~ N(0, s^2) in every layer; 0: b = 0")
      ->check(non_negative_number())
      ->capture_default_str();
  sub.add_option("--dtype", o->dtype,
                 "Element type: auto = float unless the predicted range needs double (linear, "
                 "relu with b = 0 are rescaled by exact powers of two instead)")
      ->check(CLI::IsMember({"auto", "float", "double"}))
      ->capture_default_str();
  sub.add_option("--rescale", o->rescale,
                 "Exact power-of-two rescaling of W^l for linear/relu/leaky_relu with b = 0, "
                 "logs added back: auto = only when the values would leave the type's range")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  sub.add_option("--out", o->out,
                 "Folder for variance.csv, variance.json and (with --histograms) histograms.csv");
  sub.add_option("--csv", o->csv, "Per-layer CSV to FILE (- = stdout); overrides --out's");
  sub.add_option("--json", o->json,
                 "Per-layer rows, summaries, histograms and the command line as JSON to FILE "
                 "(- = stdout); overrides --out's");
  sub.add_option("--histograms", o->histograms,
                 "Layers whose activations a^l are histogrammed, e.g. 1-5 or 1,2,10 "
                 "(counts summed over seeds; written with --out or --json)");
  sub.add_option("--hist-bins", o->hist_bins, "Histogram bins")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000}))
      ->capture_default_str();
  o->hist_range_opt = sub.add_option("--hist-range", o->hist_range,
                                     "Histogram range LO,HI (with --net: default each layer's +-4 sqrt of its "
                                     "predicted second moment)")
                          ->capture_default_str();
  sub.add_option("--threads", o->threads,
                 "Networks run at once (each on one BLAS thread; one network gets them all)")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  sub.add_flag("--progress", o->progress, "Progress on stderr even when it is not a terminal");
  add_net_options(sub, o->net);
  sub.footer("With --net FILE or --arch STRING the study runs that one network (per-layer activations and "
             "inits) instead of the --activation x --init grid; --out then holds net_variance.csv and "
             "net_variance.json (with --histograms, its \"histograms\": a^l of dense layers, the output of "
             "blocks). `initlab report --net FILE --out DIR` adds the Markdown report and figures.");
  return [o, app = &sub] {
    std::vector<const CLI::Option*> grid;
    for (const char* name : {"--activation", "--init", "--width", "--widths", "--depth", "--bias-std",
                             "--rescale"})
      grid.push_back(app->get_option(name));
    check_net_exclusive(o->net, grid);
    run(*o);
  };
}

const Registration reg{"variance",
                       "Per-layer second moments of activations and gradients versus depth, "
                       "measured over seeds beside the mean-field prediction",
                       setup};

}  // namespace
}  // namespace initlab::tool
