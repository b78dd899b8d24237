// The spec grammar (spec_args.hpp): splitting, numbers, positional and key=value
// arguments, each error naming the whole spec and what was expected.

#include "init/spec_args.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/parse.hpp"

namespace initlab::init {

namespace {
double plain_number(std::string_view text, bool& ok) {
  const auto x = parse_finite(text);
  ok = x.has_value();
  return x.value_or(0.0);
}
}  // namespace

SpecArgs::SpecArgs(std::string_view spec) : spec_(spec), name_(spec) {
  const auto colon = spec.find(':');
  if (colon == std::string_view::npos) return;
  name_ = spec.substr(0, colon);
  has_colon_ = true;
  parts_ = split(spec.substr(colon + 1));
  for (auto p : parts_) {
    if (p.empty()) {
      fail(spec, "empty argument; expected ", name_,
           " followed by ':' and comma-separated values");
    }
  }
}

double SpecArgs::number(std::string_view what, std::string_view text) const {
  bool ok = false;
  double x = 0.0;
  if (const auto slash = text.find('/'); slash != std::string_view::npos) {
    bool ok_den = false;
    const double den = plain_number(text.substr(slash + 1), ok_den);
    x = plain_number(text.substr(0, slash), ok) / den;
    ok = ok && ok_den && den != 0.0 && std::isfinite(x);
  } else {
    x = plain_number(text, ok);
  }
  if (!ok) fail(spec_, what, " must be a finite number, got '", text, "'");
  return x;
}

double SpecArgs::positive(std::string_view what, std::string_view text) const {
  const double x = number(what, text);
  if (!(x > 0.0)) fail(spec_, what, " must be > 0, got ", text);
  return x;
}

void SpecArgs::no_args() const {
  if (has_colon_) fail(spec_, name_, " takes no arguments");
}

const std::vector<std::string_view>& SpecArgs::positional(std::size_t lo, std::size_t hi,
                                                          std::string_view syntax) const {
  const std::size_t n = parts_.size();
  if (n < lo || n > hi) fail(spec_, "expected ", syntax, ", got ", n, " argument(s)");
  for (auto p : parts_) {
    if (p.find('=') != std::string_view::npos) {
      fail(spec_, "expected ", syntax, " (plain numbers, no key=value)");
    }
  }
  return parts_;
}

std::map<std::string_view, std::string_view> SpecArgs::options(
    const std::vector<std::string_view>& keys, std::string_view syntax) const {
  std::map<std::string_view, std::string_view> out;
  for (auto p : parts_) {
    const auto eq = p.find('=');
    if (eq == std::string_view::npos) fail(spec_, "'", p, "' is not key=value; expected ", syntax);
    const auto key = p.substr(0, eq);
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      fail(spec_, "unknown option '", key, "'; expected ", syntax);
    }
    if (!out.emplace(key, p.substr(eq + 1)).second) fail(spec_, "option '", key, "' given twice");
  }
  return out;
}

}  // namespace initlab::init
