// GCC 12 flags the deliberately undefined registers of its own AVX-512
// intrinsics (_mm512_undefined_*) as uninitialized once xsimd's tanh/exp are
// inlined into the kernels of this file (-march=native on AVX-512 machines).
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include "nn/activation.hpp"

#include <charconv>
#include <cmath>
#include <system_error>
#include <xtensor/xmath.hpp>
#include <xtensor/xnoalias.hpp>

#include "core/error.hpp"
#include "nn/buffer.hpp"

namespace initlab::nn {

namespace {

double parse_number(std::string_view text, std::string_view spec) {
  double v = 0.0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(v))
    fail("Activation::parse", "spec \"", spec, "\": \"", text,
         "\" is not a finite number; expected leaky_relu[:SLOPE], e.g. leaky_relu:0.2");
  return v;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

Activation Activation::parse(std::string_view spec) {
  const std::string_view s = trim(spec);
  const auto colon = s.find(':');
  const std::string_view head = s.substr(0, colon);
  Activation f;
  if (head == "linear" || head == "identity") f.kind = Kind::linear;
  else if (head == "tanh") f.kind = Kind::tanh;
  else if (head == "relu") f.kind = Kind::relu;
  else if (head == "leaky_relu") f.kind = Kind::leaky_relu;
  else if (head == "sigmoid") f.kind = Kind::sigmoid;
  else
    fail("Activation::parse", "unknown activation \"", spec,
         "\"; expected linear, identity, tanh, relu, leaky_relu[:SLOPE] or sigmoid");
  if (colon != std::string_view::npos) {
    if (f.kind != Kind::leaky_relu)
      fail("Activation::parse", "activation \"", spec, "\" takes no parameter; only leaky_relu:SLOPE does");
    f.slope = parse_number(s.substr(colon + 1), spec);
  }
  return f;
}

std::vector<Activation> Activation::parse_list(std::string_view specs) {
  std::vector<Activation> out;
  std::size_t start = 0;
  while (true) {
    const auto comma = specs.find(',', start);
    const std::string_view item = specs.substr(start, comma == std::string_view::npos ? specs.npos : comma - start);
    if (trim(item).empty())
      fail("Activation::parse_list", "empty entry in \"", specs,
           "\"; expected comma-separated activations such as relu,relu,sigmoid");
    out.push_back(parse(item));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string Activation::name() const {
  switch (kind) {
    case Kind::linear: return "linear";
    case Kind::tanh: return "tanh";
    case Kind::relu: return "relu";
    case Kind::sigmoid: return "sigmoid";
    case Kind::leaky_relu: {
      char buf[64];
      auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, slope);
      (void)ec;
      return "leaky_relu:" + std::string(buf, ptr);
    }
  }
  return "linear";
}

// h (B, n) -> a (B, n): a = phi(h)
template <class T>
void activate(Matrix<T>& a, const Matrix<T>& h, Activation f) {
  ensure_shape(a, h.shape()[0], h.shape()[1]);
  const T zero = T(0), one = T(1), slope = static_cast<T>(f.slope);
  switch (f.kind) {
    case Activation::Kind::linear: xt::noalias(a) = h; break;
    case Activation::Kind::tanh: xt::noalias(a) = xt::tanh(h); break;
    case Activation::Kind::relu: xt::noalias(a) = xt::maximum(h, zero); break;
    case Activation::Kind::leaky_relu:
      xt::noalias(a) = xt::maximum(h, zero) + slope * xt::minimum(h, zero);
      break;
    case Activation::Kind::sigmoid: xt::noalias(a) = one / (one + xt::exp(-h)); break;
  }
}

// da (B, n), h (B, n), a (B, n) -> dh (B, n) = da * phi'(h)
//   tanh' = 1 - a^2, sigmoid' = a (1 - a), relu' = [h > 0], leaky' = [h > 0] + slope [h <= 0]
template <class T>
void activate_backward(Matrix<T>& dh, const Matrix<T>& da, const Matrix<T>& h,
                       const Matrix<T>& a, Activation f) {
  if (da.shape() != h.shape() || a.shape() != h.shape())
    fail("activate_backward", "da ", shape_str(da.shape()), ", h ", shape_str(h.shape()), ", a ",
         shape_str(a.shape()), "; expected three equal (B, n) shapes");
  ensure_shape(dh, h.shape()[0], h.shape()[1]);
  const T zero = T(0), one = T(1), slope = static_cast<T>(f.slope);
  switch (f.kind) {
    case Activation::Kind::linear: xt::noalias(dh) = da; break;
    case Activation::Kind::tanh: xt::noalias(dh) = da * (one - a * a); break;
    case Activation::Kind::relu: xt::noalias(dh) = xt::where(h > zero, da, zero); break;
    case Activation::Kind::leaky_relu:
      xt::noalias(dh) = xt::where(h > zero, da, slope * da);
      break;
    case Activation::Kind::sigmoid: xt::noalias(dh) = da * a * (one - a); break;
  }
}

template void activate<float>(Matrix<float>&, const Matrix<float>&, Activation);
template void activate<double>(Matrix<double>&, const Matrix<double>&, Activation);
template void activate_backward<float>(Matrix<float>&, const Matrix<float>&, const Matrix<float>&,
                                       const Matrix<float>&, Activation);
template void activate_backward<double>(Matrix<double>&, const Matrix<double>&,
                                        const Matrix<double>&, const Matrix<double>&, Activation);

}  // namespace initlab::nn
