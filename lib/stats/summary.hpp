#pragma once
// Summaries of per-layer statistics: the spread of a value across R independent
// networks (seeds), and the shape of a depth trajectory (growth factor per layer,
// the depth at which the signal breaks).
//
// Second moments can span hundreds of decades (a linear net with N(0, 1) weights
// multiplies q by its width at every layer), so they are kept as natural logs and
// every summary of them is computed in the log domain: a mean of values whose
// logs are 700 is still exact.

#include <cstddef>
#include <optional>
#include <span>

namespace initlab::stats {

// Spread of a plain value across seeds: mean, standard deviation (divisor R - 1,
// NaN when R = 1: one seed has no spread to measure), min and max.
struct Spread {
  double mean = 0.0;
  double sd = 0.0;
  double lo = 0.0;
  double hi = 0.0;
};
// Throws std::invalid_argument if values is empty or holds a non-finite value.
Spread spread(std::span<const double> values);

// The same summary for positive values given by their natural logs x_r = ln v_r,
// returned as natural logs: log_mean = ln(mean v), log_sd = ln(sd v) (-inf when
// every v is equal), log_lo = ln(min v), log_hi = ln(max v); sd_log = sd of the
// x_r themselves (the spread of ln v; NaN if some v = 0). Both sds are NaN for
// one value. -inf (v = 0) is allowed; +inf and NaN are not.
struct LogSpread {
  double log_mean = 0.0;
  double log_sd = 0.0;
  double log_lo = 0.0;
  double log_hi = 0.0;
  double sd_log = 0.0;
};
LogSpread log_spread(std::span<const double> logs);

// |mean - theory| / sd for values given by their logs: the distance of the
// measured mean from the prediction in units of the spread across seeds. Returns
// nullopt when sd is zero or any argument is not finite.
std::optional<double> deviation_in_sd(double log_mean, double log_sd, double log_theory);

// |mean - theory| / (sd / sqrt(n)): the same distance in standard errors of a
// mean over n values (the seeds). nullopt when n < 2 or deviation_in_sd is.
std::optional<double> deviation_in_se(double log_mean, double log_sd, std::size_t n,
                                      double log_theory);

// Per-layer growth of a trajectory: the least-squares slope of ln q^l against l
// over l = 1..L (q^l given as logs, index l - 1), so exp(slope) is the geometric
// growth factor per layer. Non-finite entries (overflow, underflow) are skipped;
// nullopt when fewer than two layers are finite.
std::optional<double> log_slope(std::span<const double> log_q);

// The first layer l (1-based) whose value leaves [q0 / factor, q0 * factor], or
// whose log is not finite (overflowed, underflowed); nullopt when every layer
// stays inside ("none up to L"). factor > 1.
std::optional<std::size_t> break_depth(double log_q0, std::span<const double> log_q,
                                       double factor = 1e3);

}  // namespace initlab::stats
