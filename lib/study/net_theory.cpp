// A NetDescription as the mean-field recursion sees it (net_theory.hpp).
#include "study/net_theory.hpp"

#include <stdexcept>
#include <string>

#include "core/error.hpp"
#include "init/initializer.hpp"
#include "nn/lsuv.hpp"

namespace initlab::study {

namespace {

constexpr const char* kFunc = "study::net_architecture";

// E[w^2] = Var + mean^2 of one entry of a (out, in) matrix drawn from spec.
double entry_second(const std::string& spec, FanShape shape, const std::string& where) {
  if (nn::is_lsuv(spec))
    fail(kFunc, where, ": init '", spec, "' is data-dependent (LSUV); the mean-field theory needs a fixed law");
  try {
    const init::Moments m = init::parse(spec).moments(shape);
    return m.variance + m.mean * m.mean;
  } catch (const std::invalid_argument& e) {
    fail(kFunc, where, ": ", e.what());
  }
}

theory::NetDense dense(const DenseLayer& d, std::size_t n_in, const std::string& where) {
  theory::NetDense t;
  t.activation = d.activation;
  t.width = d.width;
  t.sw2 = static_cast<double>(n_in) * entry_second(d.init, FanShape{d.width, n_in}, where);
  t.sb2 = entry_second(d.bias, FanShape{d.width, 1}, where + " bias");
  return t;
}

theory::NetNorm norm(const Norm& n) {
  return theory::NetNorm{n.kind == Norm::Kind::layer ? theory::NetNorm::Kind::layer
                                                     : theory::NetNorm::Kind::batch,
                         n.eps};
}

theory::NetResidual residual(const Residual& r, std::size_t n_in, const std::string& where) {
  theory::NetResidual t;
  t.alpha = r.alpha;
  if (r.pre_norm) t.pre_norm = norm(*r.pre_norm);
  std::size_t n = n_in;
  for (std::size_t j = 0; j < r.branch.size(); ++j) {
    t.branch.push_back(dense(r.branch[j], n, cat(where, " branch layer ", j + 1)));
    n = r.branch[j].width;
  }
  return t;
}

}  // namespace

theory::NetArchitecture net_architecture(const NetDescription& net, const NetTheoryInput& in) {
  net.validate();
  theory::NetArchitecture t;
  t.input = net.input;
  t.q0 = in.q0;
  t.mean0 = in.mean0;
  t.qt_last = in.qt_last;
  t.logits = in.logits;
  std::size_t n = net.input;
  for (std::size_t k = 0; k < net.blocks.size(); ++k) {
    const std::string where = cat("block ", k + 1);
    if (const auto* d = std::get_if<DenseLayer>(&net.blocks[k])) {
      t.blocks.emplace_back(dense(*d, n, where));
      n = d->width;
    } else if (const auto* m = std::get_if<Norm>(&net.blocks[k])) {
      t.blocks.emplace_back(norm(*m));
    } else {
      t.blocks.emplace_back(residual(std::get<Residual>(net.blocks[k]), n, where));
    }
  }
  return t;
}

theory::NetTrajectory net_theory(const NetDescription& net, const NetTheoryInput& in) {
  return theory::net_trajectory(net_architecture(net, in));
}

}  // namespace initlab::study
