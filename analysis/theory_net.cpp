// `initlab theory --net FILE` for a network with residual or norm blocks: the
// block recursion of lib/theory/net_recursion.hpp (docs/theory.md §25-§28) through
// study::net_theory, one row per block: its output's second moment and mean, a
// residual branch's share, dL/d(output) and the block's backward gain.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>
#include <variant>

#include "output.hpp"
#include "study/net_theory.hpp"
#include "theory_cmd.hpp"

namespace initlab::tool::theory_cmd {

namespace {

std::string kind_name(theory::BlockTheory::Kind k) { return std::string(theory::to_string(k)); }

void print_blocks(const NetDescription& net, const theory::NetTrajectory& t, double q0, std::ostream& os) {
  os << "mean-field block recursion (docs/theory.md §25), network " << net.name << ", input " << net.input
     << ", q0 " << q0 << ", " << t.blocks.size() << " blocks\n"
     << "E[x^2], E[x]: the block's output per unit; grad = E[(dL/dx)^2] of it, relative to 1 at the output; "
        "gain = grad(k-1) / grad(k)\n";
  char line[256];
  std::snprintf(line, sizeof line, "%6s %-10s %6s %14s %12s %12s %14s %10s\n", "block", "kind", "width", "E[x^2]",
                "E[x]", "branch share", "grad", "gain");
  os << line;
  for (const auto& b : t.blocks) {
    std::snprintf(line, sizeof line, "%6zu %-10s %6zu %14s %12s %12s %14s %10s%s\n", b.block, kind_name(b.kind).c_str(),
                  b.width, num(b.second, b.ln_second).c_str(), num(b.mean).c_str(), num(b.branch_share).c_str(),
                  num(b.grad, b.ln_grad).c_str(), num(std::exp(b.ln_gain)).c_str(),
                  b.not_applicable.empty() ? "" : ("  (" + b.not_applicable + ")").c_str());
    os << line;
  }
}

void write_blocks_csv(const theory::NetTrajectory& t, std::ostream& os) {
  os << "# " << provenance_line() << "\n"
     << "block,kind,width,second,ln_second,mean,mean_ratio,branch_share,grad,ln_grad,ln_gain,overflow,"
        "not_applicable\n";
  for (const auto& b : t.blocks) {
    os << b.block << ',' << kind_name(b.kind) << ',' << b.width << ',' << cell(b.second) << ',' << cell(b.ln_second)
       << ',' << cell(b.mean) << ',' << cell(b.mean_ratio) << ',' << cell(b.branch_share) << ',' << cell(b.grad)
       << ',' << cell(b.ln_grad) << ',' << cell(b.ln_gain) << ',' << (b.overflow ? 1 : 0) << ','
       << csv_quote(b.not_applicable) << '\n';
  }
}

void write_blocks_json(const NetDescription& net, const theory::NetTrajectory& t, double q0, std::ostream& os) {
  Json blocks = Json::array();
  const auto plain = [](double v) { return std::isnan(v) ? Json(nullptr) : Json(v); };
  for (const auto& b : t.blocks) {
    blocks.push_back({{"block", b.block}, {"kind", kind_name(b.kind)}, {"width", b.width},
                      {"second", plain(b.second)}, {"ln_second", b.ln_second}, {"mean", plain(b.mean)},
                      {"mean_ratio", plain(b.mean_ratio)}, {"branch_share", plain(b.branch_share)},
                      {"grad", plain(b.grad)}, {"ln_grad", plain(b.ln_grad)}, {"ln_gain", plain(b.ln_gain)},
                      {"overflow", b.overflow},
                      {"not_applicable", b.not_applicable.empty() ? Json(nullptr) : Json(b.not_applicable)}});
  }
  const Json j = {{"provenance", provenance_json()}, {"net", net.name},           {"input", net.input},
                  {"q0", q0},                       {"overflow_at", t.overflow_at}, {"blocks", blocks}};
  os << json_text(j, 2) << "\n";
}

}  // namespace

void run_block_theory(const Options& o, const NetDescription& net) {
  study::NetTheoryInput in;
  in.q0 = o.q0;
  in.logits = std::holds_alternative<DenseLayer>(net.blocks.back());  // dL/dh^L = 1, as the plain path
  const theory::NetTrajectory t = study::net_theory(net, in);
  if (o.csv != "-" && o.json != "-") print_blocks(net, t, o.q0, std::cout);
  if (!o.csv.empty()) write_output(o.csv, [&](std::ostream& os) { write_blocks_csv(t, os); });
  if (!o.json.empty()) write_output(o.json, [&](std::ostream& os) { write_blocks_json(net, t, o.q0, os); });
}

}  // namespace initlab::tool::theory_cmd
