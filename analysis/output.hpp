#pragma once
// Output helpers for the tools: nothing half-written ever reaches its final name.

#include <filesystem>
#include <functional>
#include <ostream>
#include <string>

namespace initlab::tool {

// Writes through `write` into PATH.tmp.<pid> beside PATH, then renames it over
// PATH. "-" writes to stdout. Throws std::invalid_argument naming PATH if its
// folder cannot be written; the temporary file is removed on any failure.
void write_atomically(const std::string& path, const std::function<void(std::ostream&)>& write);

// Creates DIR (and parents) or throws std::invalid_argument naming it if it is
// not a writable folder.
void ensure_output_dir(const std::filesystem::path& dir);

// The command line that produced a file, for its header ("initlab variance --depth 100 ...").
void set_command_line(int argc, char** argv);
const std::string& command_line();

}  // namespace initlab::tool
