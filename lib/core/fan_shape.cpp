#include "core/fan_shape.hpp"

#include <iomanip>
#include <sstream>

#include "core/error.hpp"

namespace initlab {
namespace {

// "4.29e+09 bytes (4 GiB)"
std::string bytes_text(double bytes) {
  std::ostringstream os;
  os << std::setprecision(3) << bytes << " bytes (" << bytes / (1024.0 * 1024.0 * 1024.0)
     << " GiB)";
  return os.str();
}

std::string type_text(std::size_t entry_bytes) {
  return entry_bytes == 4 ? "float" : entry_bytes == 8 ? "double" : cat(entry_bytes, "-byte entries");
}

}  // namespace

std::size_t checked_entries(std::string_view func, std::string_view what, std::size_t rows,
                            std::size_t cols, std::size_t entry_bytes) {
  std::size_t n = 0;
  const bool overflow = __builtin_mul_overflow(rows, cols, &n);
  if (overflow || n > kMaxEntries) {
    const double entries = static_cast<double>(rows) * static_cast<double>(cols);
    std::ostringstream count;
    count << std::setprecision(3) << entries;
    fail(func, what, " (", rows, ", ", cols, ") has ", count.str(), " entries",
         overflow ? " (more than std::size_t holds)" : "", ", which need ",
         bytes_text(entries * static_cast<double>(entry_bytes)), " as ", type_text(entry_bytes),
         "; expected at most ", kMaxEntries, " entries (2^32)");
  }
  return n;
}

}  // namespace initlab
