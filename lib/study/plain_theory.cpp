#include "study/plain_theory.hpp"

#include <cmath>

#include "core/error.hpp"
#include "init/initializer.hpp"

namespace initlab::study {

namespace {

constexpr const char* kFunc = "plain_architecture";

const DenseLayer& layer(const NetDescription& net, std::size_t k, const char* func) {
  const auto* d = std::get_if<DenseLayer>(&net.blocks.at(k));
  if (d == nullptr)
    fail(func, "block ", k + 1, " of ", net.name.empty() ? "the net" : net.name,
         " is a ", std::holds_alternative<Norm>(net.blocks[k]) ? "norm" : "residual",
         " block; expected a plain network (dense layers only)");
  return *d;
}

// E[X^2] of an init spec's entries at shape (out, in).
double second_moment(const std::string& spec, std::size_t out, std::size_t in) {
  const init::Moments m = init::parse(spec).moments(FanShape{out, in});
  return m.variance + m.mean * m.mean;
}

}  // namespace

theory::Architecture plain_architecture(const NetDescription& net, double q0) {
  net.validate();
  theory::Architecture arch;
  arch.widths = {net.input};
  arch.q0 = q0;
  for (std::size_t k = 0; k < net.blocks.size(); ++k) {
    const DenseLayer& d = layer(net, k, kFunc);
    arch.activations.push_back(d.activation);
    arch.weight_variance.push_back(second_moment(d.init, d.width, arch.widths.back()));
    arch.widths.push_back(d.width);
    const double sb2 = second_moment(d.bias, d.width, 1);
    if (k == 0) arch.sb2 = sb2;
    if (std::fabs(sb2 - arch.sb2) > 1e-12 * std::max(sb2, arch.sb2))
      fail(kFunc, "layer ", k + 1, " bias \"", d.bias, "\" has E[b^2] = ", sb2, ", layer 1 has ", arch.sb2,
           "; expected one bias second moment for every layer (the length map's sb2)");
  }
  return arch;
}

bool one_bias_plain(const NetDescription& net) {
  if (!net.plain()) return false;
  const std::string& bias = std::get<DenseLayer>(net.blocks.front()).bias;
  for (const Block& b : net.blocks)
    if (std::get<DenseLayer>(b).bias != bias) return false;
  return true;
}

std::vector<std::string> plain_inits(const NetDescription& net) {
  std::vector<std::string> specs;
  for (std::size_t k = 0; k < net.blocks.size(); ++k) specs.push_back(layer(net, k, "plain_inits").init);
  return specs;
}

std::vector<Activation> plain_activations(const NetDescription& net) {
  std::vector<Activation> fs;
  for (std::size_t k = 0; k < net.blocks.size(); ++k) fs.push_back(layer(net, k, "plain_activations").activation);
  return fs;
}

}  // namespace initlab::study
