// The MNIST JSON reader and its binary cache: good, truncated, corrupt files.
#include "data/mnist.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>
#include <string>

#include "support/temp_dir.hpp"

namespace {

using namespace initlab::data;
using initlab::testing::read_bytes;
using initlab::testing::TempDir;
using initlab::testing::write_bytes;
using initlab::testing::write_text;

template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no exception";
}

// k digits of class `digit`; pixel j of digit i = ((digit * 7 + i * 3 + j) % 256) / 255
// written with 3 decimals, like the npm package.
std::string digit_json(int digit, int k) {
  std::ostringstream os;
  os << "{ \"data\": [";
  for (int i = 0; i < k; ++i)
    for (int j = 0; j < 784; ++j) {
      if (i || j) os << ',';
      const int p = (digit * 7 + i * 3 + j) % 256;
      char buf[16];
      std::snprintf(buf, sizeof buf, "%.3f", p / 255.0);
      os << buf;
    }
  os << "]}";
  return os.str();
}

void write_digits(const std::filesystem::path& dir) {
  for (int d = 0; d < 10; ++d) write_text(dir / (std::to_string(d) + ".json"), digit_json(d, d % 3 + 1));
}

TEST(Mnist, ReadsJsonAsExactPixelLevels) {
  TempDir dir;
  write_digits(dir.path());
  const Dataset d = read_mnist_json(dir.path());
  // 1 + 2 + 3 + 1 + 2 + 3 + 1 + 2 + 3 + 1 digits
  ASSERT_EQ(d.size(), 19u);
  ASSERT_EQ(d.dim(), 784u);
  EXPECT_EQ(d.classes, 10u);
  EXPECT_EQ(class_counts(d), (std::vector<std::size_t>{1, 2, 3, 1, 2, 3, 1, 2, 3, 1}));
  // Row 3 is the first digit of class 2 (after one 0 and two 1s): pixel j = (14 + j) % 256.
  EXPECT_EQ(d.y[3], 2);
  EXPECT_EQ(d.x(3, 100), 114.0f / 255.0f);
  EXPECT_EQ(d.x(3, 250), 8.0f / 255.0f);
}

TEST(Mnist, MissingJsonSaysHowToFetch) {
  TempDir dir;
  write_digits(dir.path());
  std::filesystem::remove(dir / "7.json");
  const auto msg = error_of([&] { read_mnist_json(dir.path()); });
  EXPECT_NE(msg.find("7.json: missing"), std::string::npos) << msg;
  EXPECT_NE(msg.find("make deps"), std::string::npos) << msg;
  EXPECT_NE(msg.find("scripts/fetch-mnist.sh"), std::string::npos) << msg;
}

TEST(Mnist, TruncatedJsonSaysWhereAndHowToFetch) {
  TempDir dir;
  write_digits(dir.path());
  const std::string full = digit_json(4, 2);
  write_text(dir / "4.json", full.substr(0, full.size() / 2));
  const auto msg = error_of([&] { read_mnist_json(dir.path()); });
  EXPECT_NE(msg.find("4.json: not valid JSON (truncated or corrupt) at byte"), std::string::npos) << msg;
  EXPECT_NE(msg.find("make deps"), std::string::npos) << msg;
}

TEST(Mnist, JsonWithWrongCountOrValuesIsRejected) {
  TempDir dir;
  write_digits(dir.path());
  write_text(dir / "2.json", "{\"data\": [0.5, 0.25]}");
  EXPECT_NE(error_of([&] { read_mnist_json(dir.path()); }).find("2.json: holds 2 values"),
            std::string::npos);
  std::string bad = digit_json(2, 1);
  bad.replace(bad.find('[') + 1, 5, "1.700");
  write_text(dir / "2.json", bad);
  EXPECT_NE(error_of([&] { read_mnist_json(dir.path()); }).find("value 0 (1.7) is not a pixel"),
            std::string::npos);
}

TEST(Mnist, CacheRoundTripsExactly) {
  TempDir dir;
  write_digits(dir.path());
  const Dataset d = read_mnist_json(dir.path());
  write_mnist_cache(d, dir / "sub" / "c.bin");
  const Dataset e = read_mnist_cache(dir / "sub" / "c.bin");
  EXPECT_EQ(d.x, e.x);
  EXPECT_EQ(d.y, e.y);
  EXPECT_EQ(std::filesystem::file_size(dir / "sub" / "c.bin"), 20u + 19u * 785u + 8u);
}

TEST(Mnist, TruncatedCacheIsRejected) {
  TempDir dir;
  write_digits(dir.path());
  write_mnist_cache(read_mnist_json(dir.path()), dir / "c.bin");
  auto b = read_bytes(dir / "c.bin");
  b.resize(b.size() - 100);
  write_bytes(dir / "c.bin", b);
  const auto msg = error_of([&] { read_mnist_cache(dir / "c.bin"); });
  EXPECT_NE(msg.find("c.bin: truncated"), std::string::npos) << msg;
  EXPECT_NE(msg.find("make deps"), std::string::npos) << msg;
  write_bytes(dir / "c.bin", {'I', 'L'});
  EXPECT_NE(error_of([&] { read_mnist_cache(dir / "c.bin"); }).find("truncated (2 bytes"),
            std::string::npos);
}

TEST(Mnist, CacheWithFlippedByteFailsTheChecksum) {
  TempDir dir;
  write_digits(dir.path());
  write_mnist_cache(read_mnist_json(dir.path()), dir / "c.bin");
  auto b = read_bytes(dir / "c.bin");
  b[20 + 5000] ^= 0x01;
  write_bytes(dir / "c.bin", b);
  const auto msg = error_of([&] { read_mnist_cache(dir / "c.bin"); });
  EXPECT_NE(msg.find("c.bin: checksum mismatch"), std::string::npos) << msg;
  EXPECT_NE(msg.find("make deps"), std::string::npos) << msg;
  b[0] = 'X';
  write_bytes(dir / "c.bin", b);
  EXPECT_NE(error_of([&] { read_mnist_cache(dir / "c.bin"); }).find("bad magic at byte 0"),
            std::string::npos);
}

TEST(Mnist, LoadBuildsTheCacheThenUsesItAndRebuildsACorruptOne) {
  TempDir dir;
  write_digits(dir.path());
  const auto cache = dir / "cache" / "m.bin";
  const auto first = load_mnist(dir.path(), cache);
  EXPECT_NE(first.source.find("cache " + cache.string() + " written"), std::string::npos) << first.source;
  const auto second = load_mnist(dir.path(), cache);
  EXPECT_EQ(second.source, "cache " + cache.string());
  EXPECT_EQ(first.digits.x, second.digits.x);
  auto b = read_bytes(cache);
  b[30] ^= 0xff;
  write_bytes(cache, b);
  const auto third = load_mnist(dir.path(), cache);
  EXPECT_NE(third.source.find("written"), std::string::npos) << third.source;
  EXPECT_EQ(third.digits.y, first.digits.y);
  // Bad cache and no JSON: one message naming both.
  write_bytes(cache, b);
  std::filesystem::remove(dir / "0.json");
  const auto msg = error_of([&] { load_mnist(dir.path(), cache); });
  EXPECT_NE(msg.find("checksum mismatch"), std::string::npos) << msg;
  EXPECT_NE(msg.find("0.json: missing"), std::string::npos) << msg;
}

TEST(Mnist, RealDigitsHaveThePackageClassCounts) {
  const auto root = initlab::testing::source_root();
  if (!std::filesystem::exists(root / "data" / "mnist" / "9.json")) {
    GTEST_SKIP() << "MNIST digits not fetched: run `make deps` (scripts/fetch-mnist.sh)";
  }
  TempDir dir;
  const auto d = read_mnist_json(root / "data" / "mnist");
  EXPECT_EQ(d.size(), 10000u);
  EXPECT_EQ(class_counts(d),
            (std::vector<std::size_t>{1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978}));
  write_mnist_cache(d, dir / "m.bin");
  EXPECT_EQ(read_mnist_cache(dir / "m.bin").x, d.x);
}

}  // namespace
