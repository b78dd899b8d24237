#pragma once
// The one writer of the tools (CSV, JSON, tables): every file goes through
// core/output_file.hpp (temporary file + fsync + rename for regular files,
// straight into FIFOs and devices, symlinks followed, every write checked), every
// CSV and JSON carries one provenance line, CSV cells are quoted per RFC 4180 and
// JSON text is valid UTF-8 whatever bytes the command line held.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "core/folder_lock.hpp"
#include "core/output_file.hpp"

namespace initlab::tool {

// The command line that produced a file ("initlab variance --depth 100 ..."):
// arguments with spaces or quotes are quoted; control characters and bytes that
// are not UTF-8 are written as \xNN, so the line is one line of valid UTF-8.
void set_command_line(int argc, char** argv);
const std::string& command_line();

// "initlab VERSION (COMMIT): COMMAND LINE", the first line of every CSV ("# " ...).
std::string provenance_line();
// {"tool", "version", "commit", "command"}: the "provenance" object of every JSON.
nlohmann::ordered_json provenance_json();

// `text` with control characters and non-UTF-8 bytes as \xNN (one printable line).
std::string printable(std::string_view text);

// A library error as the tool prints it, in one place (main): the qualified names
// of library functions that start lib/'s messages ("Activation::parse: ",
// "data::read_mnist_cache: "), wherever they occur, are dropped (users never call
// them), then printable() makes it one line.
std::string error_message(std::string_view what);

// One CSV cell per RFC 4180: quoted (with "" for ") when it holds a comma, a
// quote, a line break or leading/trailing blanks; as it is otherwise.
std::string csv_quote(std::string_view cell);

// A numeric CSV cell: empty for a non-finite value, 10 significant digits otherwise.
std::string csv_number(double v);
// A JSON number; null for a non-finite value.
nlohmann::ordered_json json_number(double v);

// JSON text; bytes that are not UTF-8 in any string become U+FFFD instead of
// throwing after the work is done.
template <class Json>
std::string json_text(const Json& j, int indent = -1) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

// Checks before the work starts that OPTION's PATH can be written (throws
// OutputError "OPTION PATH: ..."). Empty paths (option not given) pass.
void check_output(const std::string& option, const std::string& path);

// Creates and locks OPTION's folder DIR for this run into `lock` (throws
// OutputError "OPTION DIR: ...", e.g. "folder in use by another initlab run").
void lock_output_dir(std::optional<FolderLock>& lock, const std::string& option,
                     const std::string& dir);

// Writes PATH ("-" = stdout) through the one writer; throws OutputError.
inline void write_output(const std::string& path, const WriteFn& write) { write_file(path, write); }

}  // namespace initlab::tool
