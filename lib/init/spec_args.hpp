#pragma once
// The spec grammar shared by the rules' parsers (not part of the public API):
//
//   spec    := name [":" args]
//   args    := positional ("," positional)*      e.g. truncated_normal:0.02,-2,2
//            | key "=" value ("," key "=" value)* e.g. he_normal:mode=fan_out
// Numbers are read whole (std::from_chars, finite); anything left over is an error.
// Every error throws std::invalid_argument starting with the whole spec.

#include <cstddef>
#include <map>
#include <string_view>
#include <vector>

namespace initlab::init {

class SpecArgs {
 public:
  // Splits SPEC at the first ':' and the commas after it; throws on an empty argument.
  explicit SpecArgs(std::string_view spec);

  std::string_view spec() const { return spec_; }
  std::string_view name() const { return name_; }

  // A finite number, or a fraction P/Q of two (scale=1/3); WHAT names it in errors.
  double number(std::string_view what, std::string_view text) const;
  // A number > 0.
  double positive(std::string_view what, std::string_view text) const;
  // Throws unless the spec is the bare name.
  void no_args() const;
  // The positional arguments, checked against [lo, hi] in count; SYNTAX for errors.
  const std::vector<std::string_view>& positional(std::size_t lo, std::size_t hi,
                                                  std::string_view syntax) const;
  // key=value options; unknown or repeated keys are errors.
  std::map<std::string_view, std::string_view> options(const std::vector<std::string_view>& keys,
                                                       std::string_view syntax) const;

 private:
  std::string_view spec_;
  std::string_view name_;
  bool has_colon_ = false;
  std::vector<std::string_view> parts_;
};

}  // namespace initlab::init
