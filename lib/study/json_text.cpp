#include "study/json_text.hpp"

#include <algorithm>
#include <unordered_set>
#include <vector>

#include "core/error.hpp"

namespace initlab::study {

namespace {

// Where the parser is: one frame per open object or array.
struct Frame {
  bool array = false;
  std::size_t count = 0;  // elements started so far (arrays)
  std::string key;        // the current key (objects)
  std::unordered_set<std::string> keys;
};

// "layers[2].residual" for the containers enclosing the innermost one.
std::string path_of(const std::vector<Frame>& stack) {
  std::string path;
  for (std::size_t i = 0; i + 1 < stack.size(); ++i) {
    if (stack[i].array) {
      path += cat("[", stack[i].count - 1, "]");
    } else {
      path += (path.empty() ? "" : ".") + stack[i].key;
    }
  }
  return path;
}

// Throws on a key seen twice in one object; otherwise always keeps the value.
class DuplicateKeys {
 public:
  // The parser may copy the callback: the frames live in the caller.
  DuplicateKeys(const std::string& source, std::vector<Frame>& stack)
      : source_(source), stack_(stack) {}

  bool operator()(int, Json::parse_event_t event, Json& parsed) {
    using E = Json::parse_event_t;
    switch (event) {
      case E::object_start: open(false); break;
      case E::array_start: open(true); break;
      case E::object_end:
      case E::array_end: stack_.pop_back(); break;
      case E::key: key(parsed.get<std::string>()); break;
      case E::value: element(); break;
    }
    return true;
  }

 private:
  const std::string& source_;
  std::vector<Frame>& stack_;

  void element() {
    if (!stack_.empty() && stack_.back().array) ++stack_.back().count;
  }
  void open(bool array) {
    element();
    stack_.push_back(Frame{array, 0, {}, {}});
  }
  void key(const std::string& k) {
    Frame& f = stack_.back();
    if (!f.keys.insert(k).second) {
      const std::string where = path_of(stack_);
      fail(source_, where, where.empty() ? "" : ".", k, ": the key \"", k,
           "\" is given twice in one object; expected each key once");
    }
    f.key = k;
  }
};

// The parser's explanation without its "[json.exception...] parse error at line
// L, column C: " prefix.
std::string parse_reason(const std::string& what) {
  const auto at = what.find("parse error");
  const auto colon = what.find(": ", at == std::string::npos ? 0 : at);
  return colon == std::string::npos ? what : what.substr(colon + 2);
}

}  // namespace

TextPosition text_position(std::string_view text, std::size_t byte) {
  const std::size_t index = std::min(byte == 0 ? 0 : byte - 1, text.size());
  TextPosition p;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < index; ++i) {
    if (text[i] != '\n') continue;
    ++p.line;
    line_start = i + 1;
  }
  p.column = index - line_start + 1;
  return p;
}

Json parse_json_strict(std::string_view text, const std::string& source) {
  try {
    std::vector<Frame> stack;
    return Json::parse(text, DuplicateKeys(source, stack));
  } catch (const Json::parse_error& e) {
    const TextPosition p = text_position(text, e.byte);
    fail(cat(source, ":", p.line, ":", p.column), "not valid JSON: ", parse_reason(e.what()));
  } catch (const Json::out_of_range&) {
    fail(source, "a number beyond the range of a double (such as 1e999); expected finite numbers");
  }
}

std::string json_excerpt(const Json& value) {
  // Containers are shown one level deep: dumping a deeply nested value recurses.
  if (value.is_array()) return cat("[", value.size(), value.size() == 1 ? " item]" : " items]");
  if (value.is_object()) {
    std::string keys;
    for (const auto& [k, v] : value.items()) keys += cat(keys.empty() ? "" : ", ", Json(k).dump(), ": ...");
    if (keys.size() > 60) keys.replace(57, std::string::npos, "...");
    return cat("{", keys, "}");
  }
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  constexpr std::size_t kMax = 40;
  if (text.size() > kMax) text = text.substr(0, kMax - 3) + "...";
  return text;
}

}  // namespace initlab::study
