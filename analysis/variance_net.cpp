#include "variance_net.hpp"

#include <filesystem>
#include <iostream>
#include <optional>

#include "core/error.hpp"
#include "data/mnist.hpp"
#include "layer_list.hpp"
#include "net_variance_output.hpp"
#include "output.hpp"
#include "progress.hpp"

namespace initlab::tool {

Matrix<float> mnist_input_pool(const std::string& data_dir) {
  const std::filesystem::path dir(data_dir);
  try {
    return data::load_mnist(dir / "mnist", dir / "cache" / "mnist-10k.bin").digits.x;
  } catch (const std::invalid_argument& e) {
    fail("--input mnist", "not available: ", e.what());
  }
}

study::NetVarianceConfig net_variance_config(const VarianceNetArgs& a) {
  study::NetVarianceConfig c;
  c.net = load_net_option(a.net);
  c.batch = a.batch;
  c.seeds = a.seeds;
  c.seed = a.seed;
  c.dtype = a.dtype == "float" ? study::Dtype::float32
            : a.dtype == "double" ? study::Dtype::float64 : study::Dtype::automatic;
  c.threads = a.threads;
  if (a.input == "mnist") {
    if (c.net.input != data::kMnistPixels)
      fail("--input mnist", "the network's input width is ", c.net.input, "; expected ", data::kMnistPixels);
    c.input_pool = mnist_input_pool(a.data);
  }
  if (!a.histograms.empty()) {
    c.histogram_layers = parse_layers("--histograms", a.histograms, c.net.blocks.size());
    c.histogram_bins = a.hist_bins;
    if (!a.hist_range.empty()) c.histogram_range = parse_range("--hist-range", a.hist_range);
  }
  c.progress = progress_line(a.progress_name, a.progress);
  study::validate(c);
  return c;
}

void run_variance_net(const VarianceNetArgs& a) {
  const study::NetVarianceConfig c = net_variance_config(a);
  std::string csv = a.csv, json = a.json;
  std::optional<FolderLock> lock;
  if (!a.out.empty()) {
    lock_output_dir(lock, "--out", a.out);
    if (csv.empty()) csv = (std::filesystem::path(a.out) / "net_variance.csv").string();
    if (json.empty()) json = (std::filesystem::path(a.out) / "net_variance.json").string();
  }
  check_output("--csv", csv);
  check_output("--json", json);
  const study::NetVarianceResult r = study::run_net_variance(c);
  StagedFiles files;
  if (!csv.empty()) files.add(csv, [&](std::ostream& os) { write_net_variance_csv(os, c, r); });
  if (!json.empty()) files.add(json, [&](std::ostream& os) { write_net_variance_json(os, c, r, a.input); });
  files.commit();
  if (csv != "-" && json != "-") write_net_variance_summary(std::cout, c, r);
}

}  // namespace initlab::tool
