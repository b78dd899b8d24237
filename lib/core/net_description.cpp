#include "core/net_description.hpp"

#include <cmath>

#include "core/error.hpp"

namespace initlab {

namespace {

constexpr const char* kFunc = "NetDescription::validate";

void check_dense(const DenseLayer& d, const std::string& where) {
  if (d.width == 0) fail(kFunc, where, ": width 0, expected a width >= 1");
  if (d.init.empty()) fail(kFunc, where, ": empty init spec");
  if (d.bias.empty()) fail(kFunc, where, ": empty bias spec");
}

void check_norm(const Norm& n, const std::string& where) {
  if (!std::isfinite(n.eps) || n.eps <= 0.0)
    fail(kFunc, where, ": eps ", n.eps, ", expected a finite eps > 0");
}

void check_residual(const Residual& r, std::size_t in, const std::string& where) {
  if (r.branch.empty()) fail(kFunc, where, ": residual branch without layers");
  if (!std::isfinite(r.alpha)) fail(kFunc, where, ": alpha ", r.alpha, ", expected a finite number");
  if (r.pre_norm) check_norm(*r.pre_norm, where + " pre-norm");
  for (std::size_t j = 0; j < r.branch.size(); ++j)
    check_dense(r.branch[j], cat(where, " branch layer ", j + 1));
  if (r.branch.back().width != in)
    fail(kFunc, where, ": residual branch ends at width ", r.branch.back().width,
         ", expected the block's input width ", in);
}

}  // namespace

std::string Norm::name() const { return kind == Kind::layer ? "layernorm" : "batchnorm"; }

std::size_t NetDescription::output_width(std::size_t k) const {
  std::size_t w = input;
  for (std::size_t i = 0; i <= k && i < blocks.size(); ++i)
    if (const auto* d = std::get_if<DenseLayer>(&blocks[i])) w = d->width;
  return w;
}

std::size_t NetDescription::residual_blocks() const {
  std::size_t n = 0;
  for (const auto& b : blocks) n += std::holds_alternative<Residual>(b) ? 1 : 0;
  return n;
}

bool NetDescription::plain() const {
  for (const auto& b : blocks)
    if (!std::holds_alternative<DenseLayer>(b)) return false;
  return true;
}

std::vector<DenseLayer> NetDescription::dense_layers() const {
  std::vector<DenseLayer> out;
  for (const auto& b : blocks) {
    if (const auto* d = std::get_if<DenseLayer>(&b)) out.push_back(*d);
    if (const auto* r = std::get_if<Residual>(&b)) out.insert(out.end(), r->branch.begin(), r->branch.end());
  }
  return out;
}

void NetDescription::validate() const {
  if (input == 0) fail(kFunc, "input width 0, expected a width >= 1");
  if (blocks.empty()) fail(kFunc, "no blocks, expected at least one");
  std::size_t in = input;
  for (std::size_t k = 0; k < blocks.size(); ++k) {
    const std::string where = cat("block ", k + 1);
    if (const auto* d = std::get_if<DenseLayer>(&blocks[k])) {
      check_dense(*d, where);
      in = d->width;
    } else if (const auto* n = std::get_if<Norm>(&blocks[k])) {
      check_norm(*n, where);
    } else {
      check_residual(std::get<Residual>(blocks[k]), in, where);
    }
  }
}

}  // namespace initlab
