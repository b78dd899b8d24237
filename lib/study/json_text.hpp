#pragma once
// Strict reading of a JSON document for the input files (network files): a syntax
// error is reported as "SOURCE:LINE:COL: what the parser expected", computed from
// the parser's byte position, and a key given twice in one object is an error
// naming its path (nlohmann would silently keep the last one). Includes
// nlohmann/json.hpp: include this header only where a file is read.

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace initlab::study {

using Json = nlohmann::ordered_json;

struct TextPosition {
  std::size_t line = 1;    // 1-based
  std::size_t column = 1;  // 1-based, in bytes
};

// The line and column of the BYTE-th byte of TEXT (1-based, as nlohmann's
// parse_error::byte; clamped to the text).
TextPosition text_position(std::string_view text, std::size_t byte);

// Parses TEXT; throws std::invalid_argument starting with SOURCE on a syntax
// error (with line:col) or a duplicate key (with its JSON path, e.g.
// "layers[2].width").
Json parse_json_strict(std::string_view text, const std::string& source);

// A short rendering of a value for an error message: a scalar's JSON text cut
// to about 40 characters, "[3 items]" for a list, {"key": ..., ...} for an object
// (never recursing into nested values).
std::string json_excerpt(const Json& value);

}  // namespace initlab::study
