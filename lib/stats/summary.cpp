#include "stats/summary.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"

namespace initlab::stats {

namespace {
constexpr double kNegInf = -std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double sample_sd(std::span<const double> v, double mean) {
  if (v.size() < 2) return kNaN;
  double ss = 0.0;
  for (double x : v) ss += (x - mean) * (x - mean);
  return std::sqrt(ss / static_cast<double>(v.size() - 1));
}
}  // namespace

Spread spread(std::span<const double> values) {
  if (values.empty()) fail("stats::spread", "no values; expected at least one seed");
  for (double v : values) {
    if (!std::isfinite(v)) fail("stats::spread", "value ", v, "; expected finite values");
  }
  Spread s;
  double sum = 0.0;
  for (double v : values) sum += v;
  s.mean = sum / static_cast<double>(values.size());
  s.sd = sample_sd(values, s.mean);
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  s.lo = *lo;
  s.hi = *hi;
  return s;
}

LogSpread log_spread(std::span<const double> logs) {
  if (logs.empty()) fail("stats::log_spread", "no values; expected at least one seed");
  for (double x : logs) {
    if (std::isnan(x) || x == std::numeric_limits<double>::infinity()) {
      fail("stats::log_spread", "log value ", x, "; expected finite or -inf");
    }
  }
  LogSpread s;
  const auto [lo, hi] = std::minmax_element(logs.begin(), logs.end());
  s.log_lo = *lo;
  s.log_hi = *hi;
  const double top = *hi;
  if (top == kNegInf) {  // every value is exactly zero
    s.log_mean = kNegInf;
    s.log_sd = logs.size() < 2 ? kNaN : kNegInf;
    s.sd_log = kNaN;
    return s;
  }
  // v_r / max v = exp(x_r - top) lies in [0, 1]: no overflow whatever the scale.
  const double n = static_cast<double>(logs.size());
  double sum = 0.0;
  for (double x : logs) sum += std::exp(x - top);
  const double mean_scaled = sum / n;
  s.log_mean = top + std::log(mean_scaled);
  double ss = 0.0;
  for (double x : logs) {
    const double d = std::exp(x - top) - mean_scaled;
    ss += d * d;
  }
  s.log_sd = logs.size() < 2 ? kNaN
              : ss == 0.0   ? kNegInf
                            : top + 0.5 * std::log(ss / (n - 1.0));
  if (*lo == kNegInf) {
    s.sd_log = kNaN;
  } else {
    double lsum = 0.0;
    for (double x : logs) lsum += x;
    s.sd_log = sample_sd(logs, lsum / n);
  }
  return s;
}

std::optional<double> deviation_in_sd(double log_mean, double log_sd, double log_theory) {
  if (!std::isfinite(log_mean) || !std::isfinite(log_sd) || !std::isfinite(log_theory)) {
    return std::nullopt;
  }
  // |m - t| / sd with every term divided by max(m, t) so nothing overflows.
  const double top = std::max(log_mean, log_theory);
  const double diff = std::abs(std::exp(log_mean - top) - std::exp(log_theory - top));
  if (diff == 0.0) return 0.0;
  return std::exp(std::log(diff) + top - log_sd);
}

std::optional<double> deviation_in_se(double log_mean, double log_sd, std::size_t n,
                                      double log_theory) {
  if (n < 2) return std::nullopt;
  return deviation_in_sd(log_mean, log_sd - 0.5 * std::log(static_cast<double>(n)), log_theory);
}

std::optional<double> log_slope(std::span<const double> log_q) {
  // Ordinary least squares of y_l = ln q^l on x_l = l over the finite layers.
  double n = 0.0, sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0;
  for (std::size_t i = 0; i < log_q.size(); ++i) {
    if (!std::isfinite(log_q[i])) continue;
    const double x = static_cast<double>(i + 1);
    n += 1.0;
    sx += x;
    sy += log_q[i];
    sxx += x * x;
    sxy += x * log_q[i];
  }
  if (n < 2.0) return std::nullopt;
  const double den = n * sxx - sx * sx;
  return (n * sxy - sx * sy) / den;
}

std::optional<std::size_t> break_depth(double log_q0, std::span<const double> log_q,
                                       double factor) {
  if (!(factor > 1.0) || !std::isfinite(factor)) {
    fail("stats::break_depth", "factor ", factor, "; expected a finite number > 1");
  }
  if (!std::isfinite(log_q0)) {
    fail("stats::break_depth", "log q0 ", log_q0, "; expected a finite input second moment");
  }
  const double band = std::log(factor);
  for (std::size_t i = 0; i < log_q.size(); ++i) {
    if (!std::isfinite(log_q[i]) || std::abs(log_q[i] - log_q0) > band) return i + 1;
  }
  return std::nullopt;
}

}  // namespace initlab::stats
