// Philox4x32-10 against Random123's published known-answer vectors and against
// r123::Philox4x32 itself.
#include <Random123/philox.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "random/stream.hpp"

namespace initlab::random {
namespace {

constexpr const char* kKatFile = "/usr/share/doc/librandom123-dev/tests/kat_vectors.gz";

struct Kat {
  Counter ctr;
  Key key;
  Counter expected;
};

// Lines "philox4x32 10 c0 c1 c2 c3 k0 k1   r0 r1 r2 r3" (hex) of the gzip file.
std::vector<Kat> read_kats() {
  std::vector<Kat> kats;
  FILE* pipe = popen((std::string("zcat ") + kKatFile).c_str(), "r");
  if (pipe == nullptr) return kats;
  char line[512];
  while (std::fgets(line, sizeof line, pipe) != nullptr) {
    std::istringstream in(line);
    std::string name;
    int rounds = 0;
    in >> name >> rounds;
    if (name != "philox4x32" || rounds != 10) continue;
    Kat k{};
    in >> std::hex;
    for (auto& c : k.ctr) in >> c;
    for (auto& c : k.key) in >> c;
    for (auto& c : k.expected) in >> c;
    if (in) kats.push_back(k);
  }
  pclose(pipe);
  return kats;
}

TEST(Philox, KnownAnswerZero) {
  const Counter expected = {0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u};
  EXPECT_EQ(philox4x32_10({0, 0, 0, 0}, {0, 0}), expected);
  std::uint32_t out[4];
  philox4x32_10_blocks(0, 0, {0, 0}, 1, out);
  EXPECT_EQ((Counter{out[0], out[1], out[2], out[3]}), expected);
  const Stream s(0, 0);
  for (std::uint32_t w = 0; w < 4; ++w) EXPECT_EQ(s.bits(w), expected[w]);
}

TEST(Philox, KnownAnswerFile) {
  if (!std::filesystem::exists(kKatFile)) {
    GTEST_SKIP() << kKatFile << " is absent (Debian package librandom123-doc)";
  }
  const auto kats = read_kats();
  ASSERT_GE(kats.size(), 3u) << "no 'philox4x32 10' lines in " << kKatFile;
  for (const auto& k : kats) {
    EXPECT_EQ(philox4x32_10(k.ctr, k.key), k.expected);
    const std::uint64_t first = k.ctr[0] | (std::uint64_t{k.ctr[1]} << 32);
    const std::uint64_t hi = k.ctr[2] | (std::uint64_t{k.ctr[3]} << 32);
    std::uint32_t out[4];
    philox4x32_10_blocks(first, hi, k.key, 1, out);
    EXPECT_EQ((Counter{out[0], out[1], out[2], out[3]}), k.expected);
  }
}

// A long run crossing the 2^32 boundary of the block index (carry into word 1)
// and a run of length 0, against Random123.
TEST(Philox, BlocksCrossWordBoundary) {
  const std::uint64_t first = 0xFFFFFFF0ull;
  const std::uint64_t hi = 0x0123456789ABCDEFull;
  const Key key = {0xDEADBEEFu, 0x12345678u};
  const std::size_t n = 1000;
  std::vector<std::uint32_t> out(4 * n + 4, 0xAAAAAAAAu);
  philox4x32_10_blocks(first, hi, key, n, out.data());
  r123::Philox4x32 ref;
  for (std::size_t j = 0; j < n; ++j) {
    const std::uint64_t b = first + j;
    const r123::Philox4x32::ctr_type c = {{static_cast<std::uint32_t>(b),
                                           static_cast<std::uint32_t>(b >> 32),
                                           static_cast<std::uint32_t>(hi),
                                           static_cast<std::uint32_t>(hi >> 32)}};
    const auto r = ref(c, {{key[0], key[1]}});
    for (std::size_t w = 0; w < 4; ++w) ASSERT_EQ(out[4 * j + w], r.v[w]) << "block " << j;
  }
  for (std::size_t w = 0; w < 4; ++w) EXPECT_EQ(out[4 * n + w], 0xAAAAAAAAu) << "wrote past n";
  philox4x32_10_blocks(first, hi, key, 0, out.data() + 4 * n);
  EXPECT_EQ(out[4 * n], 0xAAAAAAAAu);
}

}  // namespace
}  // namespace initlab::random
