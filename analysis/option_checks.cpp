#include "option_checks.hpp"

#include <cmath>
#include <cstdlib>
#include <string>

#include "core/parse.hpp"
#include "output.hpp"

namespace initlab::tool {
namespace {

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// "" when `value` passes, else the reason (CLI11 prefixes the option's name).
std::string check_value(const CLI::Option& opt, const std::string& value) {
  const std::string type = opt.get_type_name();
  if (value.empty()) return "empty value ''; expected " + (type.empty() ? "a value" : type);
  const std::string shown = printable(value);
  bool out_of_range = false;
  if (starts_with(type, "UINT")) {
    if (value.find_first_of("-+") != std::string::npos) {
      return shown + " has a sign; expected a non-negative integer (UINT)";
    }
    parse_whole<unsigned long>(value, &out_of_range);
    if (out_of_range) return shown + " is out of range; expected at most 18446744073709551615";
  } else if (starts_with(type, "INT")) {
    parse_whole<long>(value, &out_of_range);
    if (out_of_range) return shown + " is out of range of a 64-bit integer";
  } else if (starts_with(type, "FLOAT")) {
    char* end = nullptr;
    const double v = std::strtod(value.c_str(), &end);
    if (end == value.c_str() + value.size() && !std::isfinite(v)) {
      return shown + " is not a finite number; expected FLOAT";
    }
  }
  return {};
}

}  // namespace

void check_every_value(CLI::App& app) {
  for (CLI::Option* opt : app.get_options()) {
    if (opt->get_type_size() == 0) continue;  // a flag
    const CLI::Option* self = opt;
    // transform() puts the check before the option's own validators (a Range
    // would report '' as "Value  not in range").
    opt->transform(CLI::Validator([self](std::string& v) { return check_value(*self, v); },
                                  std::string{}));
  }
  for (CLI::App* sub : app.get_subcommands({})) check_every_value(*sub);
}

CLI::Validator non_negative_number() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        char* end = nullptr;
        const double v = std::strtod(value.c_str(), &end);
        if (end != value.c_str() + value.size()) return printable(value) + " is not a number; expected FLOAT >= 0";
        if (!(v >= 0.0)) return printable(value) + " is negative; expected a number >= 0";
        return {};
      },
      "NONNEGATIVE");
}

}  // namespace initlab::tool
