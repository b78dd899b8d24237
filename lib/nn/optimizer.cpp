// GCC 12 flags the deliberately undefined registers of its own AVX-512
// intrinsics (_mm512_undefined_*) as uninitialized once xsimd's tanh/exp are
// inlined into the kernels of this file (-march=native on AVX-512 machines).
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include "nn/optimizer.hpp"

#include <charconv>
#include <cmath>
#include <xtensor/xadapt.hpp>
#include <xtensor/xmath.hpp>
#include <xtensor/xnoalias.hpp>

#include "core/error.hpp"
#include "core/parse.hpp"

namespace initlab::nn {

namespace {

std::vector<double> parse_numbers(std::string_view text, std::string_view spec) {
  std::vector<double> out;
  for (const std::string_view item : split(text)) {
    const auto v = parse_whole<double>(item);
    if (!v)
      fail("OptimizerConfig::parse", "spec \"", spec, "\": \"", item,
           "\" is not a number; expected sgd, momentum[:MU], rmsprop[:RHO] or "
           "adam[:BETA1,BETA2[,EPS]]");
    out.push_back(*v);
  }
  return out;
}

std::string num(double v) {
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  return std::string(buf, ptr);
}

void check_unit(const char* name, double v) {
  if (!(v >= 0.0 && v < 1.0))
    fail("OptimizerConfig", name, " = ", v, "; expected a value in [0, 1)");
}

}  // namespace

OptimizerConfig OptimizerConfig::parse(std::string_view spec, double lr) {
  OptimizerConfig c;
  c.lr = lr;
  const auto colon = spec.find(':');
  const std::string_view head = spec.substr(0, colon);
  std::vector<double> args;
  if (colon != std::string_view::npos) args = parse_numbers(spec.substr(colon + 1), spec);
  std::size_t max_args = 0;
  if (head == "sgd") {
    c.kind = Kind::sgd;
  } else if (head == "momentum") {
    c.kind = Kind::momentum;
    max_args = 1;
    if (!args.empty()) c.momentum = args[0];
  } else if (head == "rmsprop") {
    c.kind = Kind::rmsprop;
    max_args = 1;
    if (!args.empty()) c.rho = args[0];
  } else if (head == "adam") {
    c.kind = Kind::adam;
    max_args = 3;
    if (args.size() == 1)
      fail("OptimizerConfig::parse", "spec \"", spec, "\" gives 1 value; expected adam:BETA1,BETA2[,EPS]");
    if (args.size() >= 2) { c.beta1 = args[0]; c.beta2 = args[1]; }
    if (args.size() == 3) c.eps = args[2];
  } else {
    fail("OptimizerConfig::parse", "unknown optimizer \"", spec,
         "\"; expected sgd, momentum[:MU], rmsprop[:RHO] or adam[:BETA1,BETA2[,EPS]]");
  }
  if (args.size() > max_args)
    fail("OptimizerConfig::parse", "spec \"", spec, "\" gives ", args.size(), " values; ", head,
         " takes at most ", max_args);
  c.validate(true);
  return c;
}

std::string OptimizerConfig::name() const {
  switch (kind) {
    case Kind::sgd: return "sgd";
    case Kind::momentum: return "momentum:" + num(momentum);
    case Kind::rmsprop: return "rmsprop:" + num(rho);
    case Kind::adam: return "adam:" + num(beta1) + "," + num(beta2) + "," + num(eps);
  }
  return "sgd";
}

void OptimizerConfig::validate(bool allow_zero_lr) const {
  if (!std::isfinite(lr) || lr < 0.0 || (lr == 0.0 && !allow_zero_lr))
    fail("OptimizerConfig", "learning rate lr = ", lr, "; expected a finite lr > 0");
  if (kind == Kind::momentum) check_unit("momentum", momentum);
  if (kind == Kind::rmsprop) check_unit("rho", rho);
  if (kind == Kind::adam) {
    check_unit("beta1", beta1);
    check_unit("beta2", beta2);
  }
  if ((kind == Kind::rmsprop || kind == Kind::adam) && !(eps > 0.0 && std::isfinite(eps)))
    fail("OptimizerConfig", "eps = ", eps, "; expected a finite eps > 0");
}

template <class T>
Optimizer<T>::Optimizer(const OptimizerConfig& config, bool allow_zero_lr)
    : config_(config), allow_zero_lr_(allow_zero_lr) {
  config_.validate(allow_zero_lr_);
}

template <class T>
void Optimizer<T>::set_lr(double lr) {
  OptimizerConfig c = config_;
  c.lr = lr;
  c.validate(allow_zero_lr_);
  config_ = c;
}

namespace {

// One parameter tensor P with gradient G and state M (velocity / first moment),
// S (second moment); all the same shape.
//   sgd:      P -= lr G
//   momentum: M = mu M + G;  P -= lr M
//   rmsprop:  S = rho S + (1 - rho) G^2;  P -= lr G / (sqrt(S) + eps)
//   adam:     M = b1 M + (1 - b1) G;  S = b2 S + (1 - b2) G^2;
//             P -= lr_t M / (sqrt(S) + eps_t),  lr_t = lr sqrt(1 - b2^t) / (1 - b1^t),
//             eps_t = eps sqrt(1 - b2^t)  (Algorithm 1 of Kingma & Ba, rearranged exactly)
template <class T, class P, class G, class M>
void update(const OptimizerConfig& c, std::size_t t, P& p, const G& g, M& m, M& s) {
  using K = OptimizerConfig::Kind;
  const T lr = static_cast<T>(c.lr);
  switch (c.kind) {
    case K::sgd:
      xt::noalias(p) -= lr * g;
      break;
    case K::momentum:
      xt::noalias(m) = static_cast<T>(c.momentum) * m + g;
      xt::noalias(p) -= lr * m;
      break;
    case K::rmsprop: {
      const T rho = static_cast<T>(c.rho);
      xt::noalias(s) = rho * s + (T(1) - rho) * g * g;
      xt::noalias(p) -= lr * g / (xt::sqrt(s) + static_cast<T>(c.eps));
      break;
    }
    case K::adam: {
      const T b1 = static_cast<T>(c.beta1), b2 = static_cast<T>(c.beta2);
      const double td = static_cast<double>(t);
      const double c2 = std::sqrt(1.0 - std::pow(c.beta2, td));
      const T lr_t = static_cast<T>(c.lr * c2 / (1.0 - std::pow(c.beta1, td)));
      const T eps_t = static_cast<T>(c.eps * c2);
      xt::noalias(m) = b1 * m + (T(1) - b1) * g;
      xt::noalias(s) = b2 * s + (T(1) - b2) * g * g;
      xt::noalias(p) -= lr_t * m / (xt::sqrt(s) + eps_t);
      break;
    }
  }
}

}  // namespace

template <class T>
void Optimizer<T>::step(Network<T>& net, const Gradients<T>& g) {
  const std::size_t L = net.depth();
  if (g.dW.size() != L || g.db.size() != L)
    fail("Optimizer::step", "gradients for ", g.dW.size(), " layers; expected ", L);
  for (std::size_t l = 1; l <= L; ++l)
    if (g.dW[l - 1].shape() != net.W(l).shape() || g.db[l - 1].shape() != net.b(l).shape())
      fail("Optimizer::step", "layer ", l, ": dW ", shape_str(g.dW[l - 1].shape()), ", db ",
           shape_str(g.db[l - 1].shape()), "; expected W ", shape_str(net.W(l).shape()), ", b ",
           shape_str(net.b(l).shape()));
  const bool stateful = config_.kind != OptimizerConfig::Kind::sgd;
  if (stateful && mW_.size() != L) {
    mW_.clear(); sW_.clear(); mb_.clear(); sb_.clear();
    for (std::size_t l = 1; l <= L; ++l) {
      mW_.push_back(xt::zeros<T>(net.W(l).shape()));
      sW_.push_back(xt::zeros<T>(net.W(l).shape()));
      mb_.push_back(xt::zeros<T>(net.b(l).shape()));
      sb_.push_back(xt::zeros<T>(net.b(l).shape()));
    }
  }
  ++t_;
  for (std::size_t l = 1; l <= L; ++l) {
    if (stateful) {
      update<T>(config_, t_, net.W(l), g.dW[l - 1], mW_[l - 1], sW_[l - 1]);
      update<T>(config_, t_, net.b(l), g.db[l - 1], mb_[l - 1], sb_[l - 1]);
    } else {
      update<T>(config_, t_, net.W(l), g.dW[l - 1], net.W(l), net.W(l));
      update<T>(config_, t_, net.b(l), g.db[l - 1], net.b(l), net.b(l));
    }
  }
}

template <class T>
void Optimizer<T>::backward_step(Network<T>& net, const Matrix<T>& dh_last) {
  if (config_.kind != OptimizerConfig::Kind::sgd) {
    step(net, net.backward(dh_last));
    return;
  }
  ++t_;
  net.backward_sgd(dh_last, static_cast<T>(config_.lr));
}

template <class T>
void Optimizer<T>::step(std::span<const Parameter<T>> params) {
  const bool stateful = config_.kind != OptimizerConfig::Kind::sgd;
  if (stateful && mp_.size() != params.size()) {
    mp_.clear();
    sp_.clear();
    for (const Parameter<T>& p : params) {
      mp_.push_back(xt::zeros<T>({p.value.size()}));
      sp_.push_back(xt::zeros<T>({p.value.size()}));
    }
  }
  for (std::size_t i = 0; i < params.size(); ++i) {
    const Parameter<T>& p = params[i];
    if (p.grad.size() != p.value.size() || (stateful && mp_[i].size() != p.value.size()))
      fail("Optimizer::step", p.name, ": ", p.value.size(), " values, ", p.grad.size(),
           " gradients; expected equal sizes, the same as at the first step");
  }
  ++t_;
  for (std::size_t i = 0; i < params.size(); ++i) {
    const Parameter<T>& p = params[i];
    const std::array<std::size_t, 1> shape{p.value.size()};
    auto value = xt::adapt(p.value.data(), p.value.size(), xt::no_ownership(), shape);
    const auto grad = xt::adapt(p.grad.data(), p.grad.size(), xt::no_ownership(), shape);
    if (stateful) {
      update<T>(config_, t_, value, grad, mp_[i], sp_[i]);
    } else {
      update<T>(config_, t_, value, grad, value, value);
    }
  }
}

template class Optimizer<float>;
template class Optimizer<double>;

}  // namespace initlab::nn
