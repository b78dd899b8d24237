// The block-by-block mean-field recursion (net_recursion.hpp; docs/theory.md §25).
#include "theory/net_recursion.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/error.hpp"
#include "theory/log_layer.hpp"

namespace initlab::theory {

namespace {

using detail::log_add;
using detail::plain;
using detail::safe_log;

constexpr const char* kFunc = "theory::net_trajectory";
constexpr double kNegInf = -std::numeric_limits<double>::infinity();

// The signal between blocks: ln E[x^2] and E[x] / sqrt(E[x^2]) per unit.
struct State {
  double ln_second = 0.0;
  double ratio = 0.0;
};

// What the backward pass needs from the forward one, per dense layer and norm.
struct DenseWork {
  std::size_t n_in = 0;
  double ln_e_in = 0.0;  // ln E[(a^{l-1})^2] of its input
};
struct Work {
  std::vector<DenseWork> dense;  // one per entry of BlockTheory::layers
  double ln_norm_gain = 0.0;     // the norm's (or pre-norm's) -ln(v + eps)
};

void check_value(const std::string& where, const char* name, double v) {
  if (!(v >= 0.0) || !std::isfinite(v))
    fail(kFunc, where, ": ", name, " = ", v, ", expected a finite value >= 0");
}

void check_dense(const NetDense& d, const std::string& where) {
  if (d.width == 0) fail(kFunc, where, ": width 0, expected a width >= 1");
  check_value(where, "sw2", d.sw2);
  check_value(where, "sb2", d.sb2);
  if (d.sb2 > 1e300) fail(kFunc, where, ": sb2 = ", d.sb2, ", expected sb2 <= 1e300");
}

void check_norm(const NetNorm& n, const std::string& where) {
  if (!std::isfinite(n.eps) || n.eps <= 0.0)
    fail(kFunc, where, ": eps = ", n.eps, ", expected a finite eps > 0");
}

void check_residual(const NetResidual& r, std::size_t n_in, const std::string& where) {
  if (r.branch.empty()) fail(kFunc, where, ": residual branch without layers");
  if (!std::isfinite(r.alpha)) fail(kFunc, where, ": alpha = ", r.alpha, ", expected a finite number");
  if (r.pre_norm) check_norm(*r.pre_norm, where + " pre-norm");
  for (std::size_t j = 0; j < r.branch.size(); ++j)
    check_dense(r.branch[j], cat(where, " branch layer ", j + 1));
  if (r.branch.back().width != n_in)
    fail(kFunc, where, ": residual branch ends at width ", r.branch.back().width,
         ", expected the block's input width ", n_in);
}

void check_net(const NetArchitecture& net) {
  if (net.input == 0) fail(kFunc, "input width 0, expected a width >= 1");
  if (net.blocks.empty()) fail(kFunc, "no blocks, expected at least one");
  check_value("input", "q0", net.q0);
  check_value("output", "qt_last", net.qt_last);
  if (!std::isfinite(net.mean0) || net.mean0 * net.mean0 > net.q0)
    fail(kFunc, "input mean0 = ", net.mean0, ", expected |mean0| <= sqrt(q0) = ", std::sqrt(net.q0));
  if (net.logits && !std::holds_alternative<NetDense>(net.blocks.back()))
    fail(kFunc, "a logits seed needs a dense last block, block ", net.blocks.size(), " is not");
  std::size_t n = net.input;
  for (std::size_t k = 0; k < net.blocks.size(); ++k) {
    const std::string where = cat("block ", k + 1);
    if (const auto* d = std::get_if<NetDense>(&net.blocks[k])) {
      check_dense(*d, where);
      n = d->width;
    } else if (const auto* m = std::get_if<NetNorm>(&net.blocks[k])) {
      check_norm(*m, where);
    } else {
      check_residual(std::get<NetResidual>(net.blocks[k]), n, where);
    }
  }
}

// ---- forward -------------------------------------------------------------------

State dense_forward(const NetDense& d, std::size_t n_in, std::size_t index, State in,
                    LayerTheory& y, DenseWork& w) {
  y.layer = index;
  y.sw2 = d.sw2;
  w = DenseWork{n_in, in.ln_second};
  detail::forward_layer(y, d.activation, in.ln_second, safe_log(d.sb2), kFunc);
  return State{y.ln_second, detail::mean_ratio(d.activation, y)};
}

// v = E[x^2] (1 - ratio^2), the centred variance; the output has second moment
// r = v / (v + eps) and mean 0. Backward dx = P dy / sqrt(v + eps) with
// P^2 = I - 11^T/n - (2r - r^2) yy^T/|y|^2: for dy isotropic over the n units
// (LayerNorm) the gain is (1 - (1 + 2r - r^2)/n) / (v + eps); BatchNorm normalizes
// over the batch, whose size the recursion does not know: its large-batch gain
// 1 / (v + eps) (docs/theory.md §27).
State norm_forward(const NetNorm& n, std::size_t width, State in, double& ln_gain) {
  const double ln_v = in.ln_second + std::log1p(-in.ratio * in.ratio);
  const double ln_v_eps = log_add(ln_v, std::log(n.eps));
  const double ln_r = ln_v == kNegInf ? kNegInf : ln_v - ln_v_eps;
  ln_gain = -ln_v_eps;
  if (n.kind == NetNorm::Kind::layer) {
    // 1 - (1 + 2r - r^2)/n = (n - 2 + d^2)/n with d = 1 - r = eps / (v + eps): no cancellation.
    const double d = std::exp(std::log(n.eps) - ln_v_eps);
    const double kept = (static_cast<double>(width) - 2.0 + d * d) / static_cast<double>(width);
    ln_gain += kept > 0.0 ? std::log(kept) : kNegInf;
  }
  return State{ln_r, 0.0};
}

// x + alpha b with E[x b] = E[x] E[b] (the branch's last pre-activations are
// independent of x at init): s = s_x + alpha^2 s_b + 2 alpha m_x m_b in logs,
// relative to the larger of sqrt(s_x) and |alpha| sqrt(s_b).
State combine(State x, State b, double alpha, double& share) {
  const double A = 0.5 * x.ln_second;
  const double Bh = alpha == 0.0 ? kNegInf : std::log(std::fabs(alpha)) + 0.5 * b.ln_second;
  const double M = std::max(A, Bh);
  if (M == kNegInf) {
    share = 0.0;
    return State{kNegInf, 0.0};
  }
  const double ea = std::exp(A - M), eb = std::exp(Bh - M);
  const double rb = std::copysign(b.ratio, alpha);
  const double cross = 2.0 * x.ratio * rb * ea * eb;
  const double rest = A >= Bh ? eb * eb + cross : ea * ea + cross;  // bracket - 1
  const double bracket = std::max(0.0, 1.0 + rest);
  if (bracket == 0.0) {
    share = 0.0;
    return State{kNegInf, 0.0};
  }
  share = eb * eb / bracket;
  const double ratio = std::clamp((x.ratio * ea + rb * eb) / std::sqrt(bracket), -1.0, 1.0);
  return State{2.0 * M + std::log1p(std::max(-1.0, rest)), ratio};
}

State residual_forward(const NetResidual& r, std::size_t n_in, std::size_t& index, State in,
                       BlockTheory& b, Work& w) {
  State z = in;
  if (r.pre_norm) z = norm_forward(*r.pre_norm, n_in, in, w.ln_norm_gain);
  b.layers.resize(r.branch.size());
  w.dense.resize(r.branch.size());
  std::size_t n = n_in;
  for (std::size_t j = 0; j < r.branch.size(); ++j) {
    z = dense_forward(r.branch[j], n, ++index, z, b.layers[j], w.dense[j]);
    n = r.branch[j].width;
  }
  return combine(in, z, r.alpha, b.branch_share);
}

void set_output(BlockTheory& b, State s) {
  b.ln_second = s.ln_second;
  b.mean_ratio = s.ratio;
  b.second = plain(s.ln_second, b.overflow);
  const double ln_mean = safe_log(std::fabs(s.ratio)) + 0.5 * s.ln_second;
  b.mean = std::copysign(plain(ln_mean, b.overflow), s.ratio);
  for (const LayerTheory& y : b.layers) b.overflow = b.overflow || y.overflow;
}

// ---- backward ------------------------------------------------------------------

// From ln E[(dL/da)^2] at the layer's output (or ln qt itself for a logits seed)
// to ln E[(dL/dx)^2] at its input: qt = E[phi'^2] g, g_in = n_l Var(W) qt.
double dense_backward(LayerTheory& y, const DenseWork& w, std::size_t n_out, double ln_g,
                      bool seed_is_qt) {
  y.ln_qt = seed_is_qt ? ln_g : ln_g + safe_log(y.dphi2);
  y.ln_grad2 = (y.ln_qt == kNegInf || w.ln_e_in == kNegInf) ? kNegInf : y.ln_qt + w.ln_e_in;
  y.qt = plain(y.ln_qt, y.overflow);
  y.grad2 = plain(y.ln_grad2, y.overflow);
  const double back = y.sw2 / static_cast<double>(w.n_in) * static_cast<double>(n_out);
  const double ln_back = safe_log(back);
  return (y.ln_qt == kNegInf || ln_back == kNegInf) ? kNegInf : y.ln_qt + ln_back;
}

double residual_backward(const NetResidual& r, BlockTheory& b, const Work& w, double ln_g) {
  // alpha = 0: no gradient reaches the branch (its qt are exactly 0).
  double ln_z = r.alpha == 0.0 ? kNegInf : ln_g + 2.0 * std::log(std::fabs(r.alpha));
  for (std::size_t j = b.layers.size(); j-- > 0;)
    ln_z = dense_backward(b.layers[j], w.dense[j], r.branch[j].width, ln_z, false);
  if (r.pre_norm && ln_z != kNegInf) ln_z += w.ln_norm_gain;
  return log_add(ln_g, ln_z);
}

BlockTheory::Kind kind_of(const NetBlock& blk) {
  if (std::holds_alternative<NetDense>(blk)) return BlockTheory::Kind::dense;
  if (const auto* n = std::get_if<NetNorm>(&blk))
    return n->kind == NetNorm::Kind::layer ? BlockTheory::Kind::layernorm : BlockTheory::Kind::batchnorm;
  return BlockTheory::Kind::residual;
}

std::string batchnorm_caveat(double sb2) {
  return cat("BatchNorm after a dense layer with bias (sb2 = ", sb2,
             "): the batch variance of a unit lacks the bias spread the recursion counts");
}

void forward(const NetArchitecture& net, NetTrajectory& t, std::vector<Work>& work) {
  State s{safe_log(net.q0), net.q0 > 0.0 ? net.mean0 / std::sqrt(net.q0) : 0.0};
  std::size_t n = net.input, index = 0;
  double sb2 = 0.0;  // the bias variance of what feeds the stream (the last dense layer, branch ends)
  for (std::size_t k = 0; k < net.blocks.size(); ++k) {
    BlockTheory& b = t.blocks[k];
    b.block = k + 1;
    b.kind = kind_of(net.blocks[k]);
    if (const auto* d = std::get_if<NetDense>(&net.blocks[k])) {
      b.layers.resize(1);
      work[k].dense.resize(1);
      s = dense_forward(*d, n, ++index, s, b.layers[0], work[k].dense[0]);
      n = d->width;
      sb2 = d->sb2;
    } else if (const auto* m = std::get_if<NetNorm>(&net.blocks[k])) {
      s = norm_forward(*m, n, s, work[k].ln_norm_gain);
      if (m->kind == NetNorm::Kind::batch && sb2 > 0.0) b.not_applicable = batchnorm_caveat(sb2);
    } else {
      const auto& r = std::get<NetResidual>(net.blocks[k]);
      if (r.pre_norm && r.pre_norm->kind == NetNorm::Kind::batch && sb2 > 0.0)
        b.not_applicable = batchnorm_caveat(sb2);
      s = residual_forward(r, n, index, s, b, work[k]);
      sb2 = std::max(sb2, r.branch.back().sb2);  // the stream now carries the branch's biases
    }
    b.width = n;
    set_output(b, s);
  }
}

double backward(const NetArchitecture& net, NetTrajectory& t, const std::vector<Work>& work) {
  double ln_g = safe_log(net.qt_last);
  for (std::size_t k = net.blocks.size(); k-- > 0;) {
    BlockTheory& b = t.blocks[k];
    const bool seed_is_qt = net.logits && k + 1 == net.blocks.size();
    b.ln_grad = seed_is_qt ? std::numeric_limits<double>::quiet_NaN() : ln_g;
    b.grad = seed_is_qt ? b.ln_grad : plain(ln_g, b.overflow);
    const double ln_out = ln_g;
    if (const auto* d = std::get_if<NetDense>(&net.blocks[k])) {
      ln_g = dense_backward(b.layers[0], work[k].dense[0], d->width, ln_g, seed_is_qt);
    } else if (std::holds_alternative<NetNorm>(net.blocks[k])) {
      if (ln_g != kNegInf) ln_g += work[k].ln_norm_gain;
    } else {
      ln_g = residual_backward(std::get<NetResidual>(net.blocks[k]), b, work[k], ln_g);
    }
    const bool undefined = ln_out == kNegInf || seed_is_qt;
    b.ln_gain = undefined ? std::numeric_limits<double>::quiet_NaN() : ln_g - ln_out;
    for (const LayerTheory& y : b.layers) b.overflow = b.overflow || y.overflow;
  }
  return ln_g;
}

}  // namespace

NetTrajectory net_trajectory(const NetArchitecture& net) {
  check_net(net);
  NetTrajectory t;
  t.blocks.resize(net.blocks.size());
  std::vector<Work> work(net.blocks.size());
  forward(net, t, work);
  t.ln_grad_input = backward(net, t, work);
  bool overflow = false;
  t.grad_input = plain(t.ln_grad_input, overflow);
  for (const BlockTheory& b : t.blocks) {
    if (b.overflow) {
      t.overflow_at = b.block;
      break;
    }
  }
  return t;
}

}  // namespace initlab::theory
