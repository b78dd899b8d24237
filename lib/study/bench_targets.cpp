#include "study/bench_targets.hpp"

#include <cmath>
#include <cstdio>
#include <limits>
#include <utility>

#include "core/error.hpp"

namespace initlab::study {

namespace {

using namespace bench_goals;

// "1.5x", "3x", "85%", "0.3": the goal as a label shows it.
std::string times(double g) { return cat(g, "x"); }
std::string percent(double g) { return cat(std::lround(100.0 * g), "%"); }

BenchTarget at_least(std::string id, std::string label, double goal) {
  return {std::move(id), std::move(label), goal, Sense::at_least, "percent"};
}

std::vector<BenchTarget> make_targets() {
  return {
      at_least("normal_vs_torch", cat("normal fill >= ", times(kNormalVsTorch), " torch normal_"),
               kNormalVsTorch),
      at_least("uniform_vs_torch", cat("uniform fill >= ", times(kUniformVsTorch), " torch uniform_"),
               kUniformVsTorch),
      at_least("trunc_normal_vs_torch",
               cat("truncated normal >= ", times(kTruncNormalVsTorch), " torch trunc_normal_"),
               kTruncNormalVsTorch),
      at_least("uniform_vs_memset",
               cat("uniform fill, 1 thread >= ", kUniformVsMemset, " of memset's elements/s"),
               kUniformVsMemset),
      at_least("normal_rate", cat("normal fill, 1 thread >= ", kNormalRateG, " G elements/s"), kNormalRateG),
      at_least("fill_scaling", cat("fill on 2 threads >= ", times(kTwoThreadScaling), " its 1 thread"),
               kTwoThreadScaling),
      {"orthogonal_vs_torch", cat("orthogonal within ", times(kOrthogonalTimeVsTorch), " of torch orthogonal_"),
       kOrthogonalTimeVsTorch, Sense::at_most, "percent"},
      at_least("train_step_b100_vs_torch",
               cat("training step B=100, 1 thread >= ", times(kTrainStepB100VsTorch), " torch samples/s"),
               kTrainStepB100VsTorch),
      at_least("train_step_vs_gemm",
               cat("training step B=100, 1 thread >= ", percent(kTrainStepVsGemm),
                   " of the raw-sgemm GFLOP/s on the same shapes"),
               kTrainStepVsGemm),
      at_least("train_step_b256_vs_torch",
               cat("training step B=256, 1 thread >= ", times(kTrainStepB256VsTorch), " torch samples/s"),
               kTrainStepB256VsTorch),
      at_least("train_loop_vs_torch",
               cat("training as users run it (initlab train, per-epoch work included), 1 thread, B=100 >= ",
                   times(kTrainLoopVsTorch), " the PyTorch loop doing the same work"),
               kTrainLoopVsTorch),
      at_least("variance_vs_torch",
               cat("variance study, 1 thread >= ", times(kVarianceVsTorch),
                   " the PyTorch study script (same per-layer second moments)"),
               kVarianceVsTorch),
      at_least("variance_gemm_share",
               cat("variance study, 1 thread >= ", percent(kVarianceGemmShare),
                   " of its GEMM-only time (GEMM-only time / study time)"),
               kVarianceGemmShare),
      at_least("network_pass_gemm_share",
               cat("one network's pass (forward, statistics, backward), 1 thread >= ",
                   percent(kVarianceGemmShare), " of its GEMM-only time"),
               kVarianceGemmShare),
      at_least("variance_scaling", cat("variance study on 2 threads >= ", times(kTwoThreadScaling), " its 1 thread"),
               kTwoThreadScaling),
      {"allocs_per_layer", cat(kAllocsPerLayer, " heap allocations per layer after the first network"),
       kAllocsPerLayer, Sense::at_most, "allocations per layer"},
  };
}

// "19%" (whole percent), or "0.4%" below 1%.
std::string percent_text(double f) {
  char buf[32];
  std::snprintf(buf, sizeof buf, f >= 0.01 ? "%.0f%%" : "%.1g%%", 100.0 * f);
  return buf;
}

}  // namespace

const std::vector<BenchTarget>& bench_targets() {
  static const std::vector<BenchTarget> all = make_targets();
  return all;
}

const BenchTarget& bench_target(std::string_view id) {
  std::string ids;
  for (const BenchTarget& t : bench_targets()) {
    if (t.id == id) return t;
    ids += (ids.empty() ? "" : ", ") + t.id;
  }
  fail("bench_target", "unknown target '", id, "'; expected one of ", ids);
}

BenchVerdict judge(const BenchTarget& t, double v) {
  BenchVerdict out;
  if (!std::isfinite(v)) {
    out.shortfall = std::numeric_limits<double>::quiet_NaN();
    out.shortfall_text = "not measured";
    return out;
  }
  out.met = t.sense == Sense::at_least ? v >= t.goal : v <= t.goal;
  if (out.met) return out;
  if (t.sense == Sense::at_least) {
    out.shortfall = 1.0 - v / t.goal;
    out.shortfall_text = percent_text(out.shortfall) + " below the goal";
  } else if (t.goal > 0.0) {
    out.shortfall = v / t.goal - 1.0;
    out.shortfall_text = percent_text(out.shortfall) + " more than allowed";
  } else {
    out.shortfall = v - t.goal;
    out.shortfall_text = cat(v, " ", t.unit, " too many");
  }
  return out;
}

}  // namespace initlab::study
