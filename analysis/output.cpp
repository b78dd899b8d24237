#include "output.hpp"

#include <cmath>
#include <cstdio>

#include "core/version.hpp"

namespace initlab::tool {

namespace {

std::string& command_line_storage() {
  static std::string line = "initlab";
  return line;
}

// Length of the valid UTF-8 sequence at s[i] (1-4), or 0 if the bytes there are
// not one (overlong forms, surrogates and values above U+10FFFF are invalid).
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
  }
  return n;
}

}  // namespace

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t n = utf8_length(text, i);
    if (n == 0 || c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
      ++i;
      continue;
    }
    out.append(text.substr(i, n));
    i += n;
  }
  return out;
}

namespace {
bool identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
// Length of "name::name[::name...]: " at text[i], or 0.
std::size_t qualified_prefix(std::string_view text, std::size_t i) {
  std::size_t j = i, parts = 0;
  while (true) {
    const std::size_t start = j;
    while (j < text.size() && identifier_char(text[j])) ++j;
    if (j == start) return 0;
    ++parts;
    if (text.substr(j, 2) == "::") {
      j += 2;
      continue;
    }
    return parts >= 2 && text.substr(j, 2) == ": " ? j + 2 - i : 0;
  }
}
}  // namespace

std::string error_message(std::string_view what) {
  std::string out;
  for (std::size_t i = 0; i < what.size();) {
    const std::size_t n = i == 0 || !identifier_char(what[i - 1]) ? qualified_prefix(what, i) : 0;
    if (n > 0) {
      i += n;
    } else {
      out.push_back(what[i++]);
    }
  }
  return printable(out);
}

void set_command_line(int argc, char** argv) {
  std::string line = "initlab";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = printable(argv[i]);
    const bool quote = arg.empty() || arg.find_first_of(" \t\"'$\\;&|<>*?()`") != std::string::npos;
    line.push_back(' ');
    if (quote) line.push_back('\'');
    for (char c : arg) {
      if (c == '\'') {
        line.append("'\\''");  // close the quote, an escaped quote, reopen
      } else {
        line.push_back(c);
      }
    }
    if (quote) line.push_back('\'');
  }
  command_line_storage() = line;
}

const std::string& command_line() { return command_line_storage(); }

std::string provenance_line() {
  return "initlab " + std::string(version()) + " (" + std::string(git_commit()) +
         "): " + command_line();
}

nlohmann::ordered_json provenance_json() {
  return {{"tool", "initlab"},
          {"version", std::string(version())},
          {"commit", std::string(git_commit())},
          {"command", command_line()}};
}

std::string csv_number(double v) {
  if (!std::isfinite(v)) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

nlohmann::ordered_json json_number(double v) {
  return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr);
}

std::string csv_quote(std::string_view cell) {
  const bool needs = cell.find_first_of(",\"\r\n") != std::string_view::npos ||
                     (!cell.empty() && (cell.front() == ' ' || cell.back() == ' '));
  if (!needs) return std::string(cell);
  std::string out = "\"";
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void check_output(const std::string& option, const std::string& path) {
  if (path.empty()) return;
  try {
    check_writable(path);
  } catch (const OutputError& e) {
    throw OutputError(option + " " + e.what());
  }
}

void lock_output_dir(std::optional<FolderLock>& lock, const std::string& option,
                     const std::string& dir) {
  try {
    lock.emplace(dir);
  } catch (const OutputError& e) {
    throw OutputError(option + " " + e.what());
  }
}

}  // namespace initlab::tool
