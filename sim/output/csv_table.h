#pragma once
// A CSV table built as text (tables reach hundreds of thousands of rows; one
// string per cell would cost far more memory than the text itself).

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cbsim::sim {

class CsvTable {
public:
  explicit CsvTable(std::vector<std::string> columns);

  CsvTable& cell(std::string_view text);  // must not contain ',', '"' or a newline
  CsvTable& cell(std::int64_t v);
  CsvTable& cell(std::uint64_t v) { return cell(static_cast<std::int64_t>(v)); }
  CsvTable& cell(std::uint32_t v) { return cell(static_cast<std::int64_t>(v)); }
  CsvTable& cell(int v) { return cell(static_cast<std::int64_t>(v)); }
  CsvTable& cell(double v);  // NaN is written as an empty cell (missing value)
  void end_row();

  const std::string& text() const { return text_; }
  std::size_t rows() const { return rows_; }
  const std::vector<std::string>& columns() const { return columns_; }

private:
  std::vector<std::string> columns_;
  std::string text_;
  std::size_t cells_in_row_ = 0;
  std::size_t rows_ = 0;
};

}  // namespace cbsim::sim
