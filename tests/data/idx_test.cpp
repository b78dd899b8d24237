// IDX loader on small files written by the test: plain and gzip, good and corrupt.
#include "data/idx.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "support/temp_dir.hpp"

namespace {

using initlab::data::read_idx;
using initlab::data::read_idx_dir;
using initlab::data::read_idx_pair;
using initlab::testing::TempDir;
using initlab::testing::write_bytes;
using initlab::testing::write_gzip;

void put_be32(std::vector<std::uint8_t>& b, std::uint32_t v) {
  for (int k = 3; k >= 0; --k) b.push_back(static_cast<std::uint8_t>(v >> (8 * k)));
}

// n images of rows x cols; pixel (i, r, c) = (i + r + c) % 256.
std::vector<std::uint8_t> images_file(std::uint32_t n, std::uint32_t rows, std::uint32_t cols) {
  std::vector<std::uint8_t> b;
  put_be32(b, 0x00000803);
  put_be32(b, n);
  put_be32(b, rows);
  put_be32(b, cols);
  for (std::uint32_t i = 0; i < n; ++i)
    for (std::uint32_t r = 0; r < rows; ++r)
      for (std::uint32_t c = 0; c < cols; ++c) b.push_back(static_cast<std::uint8_t>((i + r + c) % 256));
  return b;
}

std::vector<std::uint8_t> labels_file(const std::vector<std::uint8_t>& labels) {
  std::vector<std::uint8_t> b;
  put_be32(b, 0x00000801);
  put_be32(b, static_cast<std::uint32_t>(labels.size()));
  b.insert(b.end(), labels.begin(), labels.end());
  return b;
}

// Runs f, expects std::invalid_argument whose message contains every fragment.
template <class F>
void expect_error(F f, std::initializer_list<std::string> fragments) {
  try {
    f();
    ADD_FAILURE() << "no exception";
  } catch (const std::invalid_argument& e) {
    const std::string msg = e.what();
    for (const auto& frag : fragments) EXPECT_NE(msg.find(frag), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << "not one line: " << msg;
  }
}

TEST(Idx, ReadsPlainAndGzipIdentically) {
  TempDir dir;
  const auto img = images_file(5, 3, 4);
  const auto lab = labels_file({0, 1, 2, 9, 4});
  write_bytes(dir / "plain-images", img);
  write_bytes(dir / "plain-labels", lab);
  write_gzip(dir / "gz-images.gz", img);
  write_gzip(dir / "gz-labels.gz", lab);
  const auto a = read_idx_pair(dir / "plain-images", dir / "plain-labels", 10, "plain");
  const auto b = read_idx_pair(dir / "gz-images.gz", dir / "gz-labels.gz", 10, "gz");
  ASSERT_EQ(a.size(), 5u);
  ASSERT_EQ(a.dim(), 12u);
  EXPECT_EQ(a.x, b.x);
  EXPECT_EQ(a.y, b.y);
  EXPECT_EQ(a.y, (std::vector<std::uint8_t>{0, 1, 2, 9, 4}));
  // image 2, row 1, col 3 -> (2 + 1 + 3) / 255
  EXPECT_FLOAT_EQ(a.x(2, 1 * 4 + 3), 6.0f / 255.0f);
}

TEST(Idx, FindsFilesInAFolderWithOrWithoutGz) {
  TempDir dir;
  write_gzip(dir / "train-images-idx3-ubyte.gz", images_file(3, 2, 2));
  write_bytes(dir / "train-labels-idx1-ubyte", labels_file({1, 2, 3}));
  const auto d = read_idx_dir(dir.path(), "train", 10, "mine");
  EXPECT_EQ(d.size(), 3u);
  EXPECT_EQ(d.name, "mine");
  expect_error([&] { read_idx_dir(dir.path(), "t10k", 10, "mine"); },
               {"t10k-images-idx3-ubyte", "neither"});
  expect_error([&] { read_idx_dir(dir / "nope", "train", 10, "mine"); },
               {"nope", "does not exist"});
}

TEST(Idx, RejectsBadMagicWithFileAndOffset) {
  TempDir dir;
  auto img = images_file(2, 2, 2);
  img[2] = 0x0d;  // type: 0x0d = float
  write_bytes(dir / "bad-magic", img);
  expect_error([&] { read_idx(dir / "bad-magic", 3); },
               {"bad-magic", "byte 0", "bad magic 0x00000d03", "expected 0x00000803"});
  // A labels file given where images are expected.
  write_gzip(dir / "labels.gz", labels_file({1, 2}));
  expect_error([&] { read_idx(dir / "labels.gz", 3); }, {"labels.gz", "byte 0", "0x00000801"});
}

TEST(Idx, RejectsTruncatedPlainFile) {
  TempDir dir;
  auto img = images_file(4, 3, 3);
  img.resize(img.size() - 5);
  write_bytes(dir / "short", img);
  expect_error([&] { read_idx(dir / "short", 3); },
               {"short", "byte 47", "size mismatch", "(4, 3, 3)", "truncated"});
  write_bytes(dir / "header", {0, 0, 8, 3, 0, 0});
  expect_error([&] { read_idx(dir / "header", 3); }, {"header", "byte 6", "inside the header"});
}

TEST(Idx, RejectsTruncatedGzipFile) {
  TempDir dir;
  write_gzip(dir / "full.gz", images_file(50, 28, 28));
  auto gz = initlab::testing::read_bytes(dir / "full.gz");
  gz.resize(gz.size() / 2);
  write_bytes(dir / "half.gz", gz);
  expect_error([&] { read_idx(dir / "half.gz", 3); }, {"half.gz", "gzip data is truncated or corrupt"});
}

TEST(Idx, RejectsExtraBytes) {
  TempDir dir;
  auto lab = labels_file({1, 2, 3});
  lab.push_back(7);
  write_bytes(dir / "long", lab);
  expect_error([&] { read_idx(dir / "long", 1); }, {"long", "byte 11", "extra bytes"});
}

TEST(Idx, RejectsLabelOutOfRangeWithItsOffset) {
  TempDir dir;
  write_bytes(dir / "img", images_file(4, 2, 2));
  write_bytes(dir / "lab", labels_file({0, 1, 10, 3}));
  expect_error([&] { read_idx_pair(dir / "img", dir / "lab", 10, "x"); },
               {"lab", "byte 10", "label 10 out of range", "[0, 9]"});
}

TEST(Idx, RejectsCountMismatchBetweenImagesAndLabels) {
  TempDir dir;
  write_bytes(dir / "img", images_file(4, 2, 2));
  write_bytes(dir / "lab", labels_file({0, 1, 2}));
  expect_error([&] { read_idx_pair(dir / "img", dir / "lab", 10, "x"); },
               {"4 images", "3 labels"});
}

TEST(Idx, RejectsMissingFile) {
  TempDir dir;
  expect_error([&] { read_idx(dir / "absent", 1); }, {"absent", "missing; expected an IDX file"});
}

TEST(Idx, ReadsDebianFashionMnistWhenInstalled) {
  const std::filesystem::path dir = initlab::data::kFashionMnistDir;
  if (!std::filesystem::exists(dir / "t10k-labels-idx1-ubyte.gz")) {
    GTEST_SKIP() << dir << " not installed (Debian package dataset-fashion-mnist; `make deps`)";
  }
  const auto d = read_idx_dir(dir, "t10k", 10, "fashion-mnist");
  ASSERT_EQ(d.size(), 10000u);
  ASSERT_EQ(d.dim(), 784u);
  // The Fashion-MNIST test set holds exactly 1000 items of each class.
  for (auto c : initlab::data::class_counts(d)) EXPECT_EQ(c, 1000u);
}

}  // namespace
