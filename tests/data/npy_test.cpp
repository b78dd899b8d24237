// .npy reader: every header version, both dtypes, both orders; every kind of bad
// file gives one line naming the file and what was expected.
#include "data/npy.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace initlab::data {
namespace {

using Bytes = std::vector<unsigned char>;

// A .npy file: magic, version, header (padded to 64 with '\n' last), then data.
Bytes npy_bytes(const std::string& dict, const Bytes& data, int major = 1, bool pad = true) {
  std::string header = dict;
  const std::size_t len_bytes = major == 1 ? 2 : 4;
  if (pad) {
    const std::size_t total = (8 + len_bytes + header.size() + 1 + 63) / 64 * 64;
    header.append(total - 8 - len_bytes - header.size() - 1, ' ');
    header += '\n';
  }
  Bytes b = {0x93, 'N', 'U', 'M', 'P', 'Y', static_cast<unsigned char>(major), 0};
  for (std::size_t i = 0; i < len_bytes; ++i) b.push_back((header.size() >> (8 * i)) & 0xff);
  b.insert(b.end(), header.begin(), header.end());
  b.insert(b.end(), data.begin(), data.end());
  return b;
}

template <class T>
Bytes raw(const std::vector<T>& v) {
  Bytes b(v.size() * sizeof(T));
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}

std::string error_of(const Bytes& b) {
  try {
    parse_npy(b, "w.npy");
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no error";
}

TEST(Npy, ReadsFloat32COrderEveryVersion) {
  const std::vector<float> v = {1.5f, -2.0f, 0.25f, 3.0f, 4.0f, -0.125f};
  for (int major : {1, 2, 3}) {
    const auto a = parse_npy(
        npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", raw(v), major),
        "w.npy");
    EXPECT_EQ(a.shape, (std::vector<std::size_t>{2, 3}));
    EXPECT_EQ(a.dtype, NpyDtype::f4);
    EXPECT_EQ(a.values, std::vector<double>(v.begin(), v.end())) << "version " << major;
  }
}

TEST(Npy, FortranOrderBecomesCOrder) {
  // C-order matrix [[0, 1, 2], [3, 4, 5]] stored column-major: 0 3 1 4 2 5
  const std::vector<double> f = {0, 3, 1, 4, 2, 5};
  const auto a = parse_npy(
      npy_bytes("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", raw(f)), "w.npy");
  EXPECT_TRUE(a.fortran_order);
  EXPECT_EQ(a.values, (std::vector<double>{0, 1, 2, 3, 4, 5}));
  // 3-D (2, 2, 2): Fortran index i + 2 j + 4 k holds the C value 4 i + 2 j + k
  std::vector<double> f3(8);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j)
      for (int k = 0; k < 2; ++k) f3[static_cast<std::size_t>(i + 2 * j + 4 * k)] = 4 * i + 2 * j + k;
  const auto b = parse_npy(
      npy_bytes("{'shape': (2, 2, 2), 'descr': '<f8', 'fortran_order': True}", raw(f3)), "w.npy");
  EXPECT_EQ(b.values, (std::vector<double>{0, 1, 2, 3, 4, 5, 6, 7}));
}

TEST(Npy, ScalarOneDimensionalAndEmpty) {
  const auto s = parse_npy(
      npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': ()}", raw(std::vector{2.5})),
      "w.npy");
  EXPECT_TRUE(s.shape.empty());
  EXPECT_EQ(s.values, std::vector<double>{2.5});
  const auto v = parse_npy(
      npy_bytes("{\"descr\":\"<f4\",\"fortran_order\":False,\"shape\":(2,)}",
                raw(std::vector{1.0f, 2.0f})),
      "w.npy");
  EXPECT_EQ(v.shape, std::vector<std::size_t>{2});
  const auto e = parse_npy(
      npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 3), }", {}), "w.npy");
  EXPECT_TRUE(e.values.empty());
}

TEST(Npy, WriteThenReadIsExact) {
  const std::vector<float> v = {1e-30f, -7.0f, 3.25f, 0.1f};
  const std::vector<std::size_t> shape = {2, 2};
  std::ostringstream os;
  write_npy<float>(os, v, shape);
  const std::string s = os.str();
  EXPECT_EQ(s.size() % 64, 16u);  // header block is 64 bytes, then 16 data bytes
  const auto a = parse_npy(Bytes(s.begin(), s.end()), "w.npy");
  EXPECT_EQ(a.shape, shape);
  EXPECT_EQ(a.values, std::vector<double>(v.begin(), v.end()));
  std::ostringstream bad;
  EXPECT_THROW(write_npy<float>(bad, v, std::vector<std::size_t>{3}), std::invalid_argument);
}

TEST(Npy, RefusesOtherDtypes) {
  const Bytes four(8, 0);
  const auto with = [&](const std::string& descr) {
    return error_of(npy_bytes("{'descr': '" + descr + "', 'fortran_order': False, 'shape': (2,)}",
                              four));
  };
  EXPECT_EQ(with(">f4"), "w.npy: dtype '>f4' is big-endian; expected little-endian '<f4' or '<f8'");
  EXPECT_NE(with(">f8").find("big-endian"), std::string::npos);
  EXPECT_EQ(with("|O"), "w.npy: dtype '|O' is an object array; expected '<f4' or '<f8'");
  EXPECT_EQ(with("<i4"),
            "w.npy: unsupported dtype '<i4'; expected float32 '<f4' or float64 '<f8'");
  EXPECT_NE(with("<f2").find("unsupported dtype '<f2'"), std::string::npos);
}

TEST(Npy, RefusesBadHeaders) {
  const Bytes d = raw(std::vector<float>{1, 2});
  const auto err = [&](const std::string& dict) { return error_of(npy_bytes(dict, d)); };
  const std::string ok_tail = "'fortran_order': False, 'shape': (2,)}";
  EXPECT_NE(err("{'descr': '<f4', " + ok_tail.substr(0, ok_tail.size() - 1) + ", 'x': 1}")
                .find("unknown key 'x'"), std::string::npos);
  EXPECT_NE(err("{'descr': '<f4', 'descr': '<f4', " + ok_tail).find("key 'descr' given twice"),
            std::string::npos);
  EXPECT_NE(err("{'descr': '<f4', 'shape': (2,)}").find("expected the keys"), std::string::npos);
  EXPECT_NE(err("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}").find("True or False"),
            std::string::npos);
  EXPECT_NE(err("{'descr': '<f4', 'fortran_order': False, 'shape': (2)}").find("'(N,)'"),
            std::string::npos);
  EXPECT_NE(err("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}")
                .find("a non-negative integer"), std::string::npos);
  EXPECT_NE(err("{'descr': '<f4', 'fortran_order': False, 'shape': (1 2,)}").find("',' or ')'"),
            std::string::npos);
  EXPECT_NE(err("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} x").find("after the dict"),
            std::string::npos);
  EXPECT_NE(err("['descr']").find("expected '{'"), std::string::npos);
  // no '\n' at the end of the header
  EXPECT_NE(error_of(npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", d, 1,
                               false)).find("after the dict"), std::string::npos);
}

TEST(Npy, RefusesBadFramingAndSizes) {
  const std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2)}";
  const Bytes full = raw(std::vector<float>{1, 2, 3, 4});
  EXPECT_EQ(error_of(Bytes{'n', 'o', 't', ' ', 'a', 'n', 'p', 'y', 0, 0}),
            "w.npy: not a .npy file (expected the magic \\x93NUMPY, 10 bytes read)");
  Bytes v4 = npy_bytes(dict, full);
  v4[6] = 4;
  EXPECT_EQ(error_of(v4), "w.npy: .npy format version 4.0; expected 1.0, 2.0 or 3.0");
  EXPECT_EQ(error_of(npy_bytes(dict, Bytes(full.begin(), full.end() - 1))),
            "w.npy: shape (2, 2) of <f4 needs 16 data bytes, the file has 15 (truncated)");
  Bytes longer = full;
  longer.push_back(0);
  EXPECT_EQ(error_of(npy_bytes(dict, longer)),
            "w.npy: shape (2, 2) of <f4 needs 16 data bytes, the file has 17");
  Bytes cut = npy_bytes(dict, full);
  cut.resize(40);
  EXPECT_NE(error_of(cut).find("truncated .npy header"), std::string::npos);
  EXPECT_NE(error_of(npy_bytes("{'descr': '<f8', 'fortran_order': False, "
                               "'shape': (4294967296, 4294967296)}", {}))
                .find("overflows"), std::string::npos);
  EXPECT_NE(error_of(npy_bytes("{'descr': '<f8', 'fortran_order': False, "
                               "'shape': (3074457345618258603,)}", {}))
                .find("overflows"), std::string::npos);
  EXPECT_NE(error_of(npy_bytes("{'descr': '<f8', 'fortran_order': False, "
                               "'shape': (99999999999999999999,)}", {}))
                .find("fits in 64 bits"), std::string::npos);
}

TEST(Npy, ReadsAFileAndNamesAMissingOne) {
  testing::TempDir dir;
  const std::vector<double> v = {1, 2, 3};
  std::ostringstream os;
  write_npy<double>(os, v, std::vector<std::size_t>{3});
  const std::string s = os.str();
  testing::write_bytes(dir / "a.npy", std::vector<std::uint8_t>(s.begin(), s.end()));
  EXPECT_EQ(read_npy(dir / "a.npy").values, v);
  try {
    read_npy(dir / "missing.npy");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("missing.npy: missing; expected a .npy file"), std::string::npos);
  }
}

}  // namespace
}  // namespace initlab::data
