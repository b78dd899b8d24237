#pragma once
// `initlab variance --net FILE | --arch STRING`: the variance study of a described
// network (lib/study/net_variance.hpp), run from variance_cmd.cpp's options.

#include <cstdint>
#include <string>

#include "core/tensor.hpp"
#include "net_option.hpp"
#include "study/net_variance.hpp"

namespace initlab::tool {

struct VarianceNetArgs {
  NetOption net;
  std::size_t batch = 256;
  std::size_t seeds = 4;
  std::uint64_t seed = 1;
  std::string input = "gaussian";  // gaussian | mnist
  std::string data = "data";
  std::string dtype = "auto";
  int threads = 1;
  bool progress = false;
  std::string out, csv, json;
  std::string histograms;   // layers (blocks) as 1-5 or 1,2,10; empty: none
  std::size_t hist_bins = study::kNetHistogramBins;
  std::string hist_range;   // LO,HI; empty: each layer's range from its theory
  std::string progress_name = "variance";
};

void run_variance_net(const VarianceNetArgs& a);

// The study of the arguments: the network loaded, --input mnist's digits read,
// --histograms parsed against the network's depth, validated.
study::NetVarianceConfig net_variance_config(const VarianceNetArgs& a);

// The 10,000 MNIST digits (pixels/255) from the data folder, for --input mnist;
// throws std::invalid_argument "--input mnist: not available: " and why (the
// cache's and the JSON's problems, each with how to fetch the digits again).
Matrix<float> mnist_input_pool(const std::string& data_dir);

}  // namespace initlab::tool
