#include "sim/output/csv_table.h"

#include <charconv>
#include <stdexcept>

namespace cbsim::sim {

CsvTable::CsvTable(std::vector<std::string> columns) : columns_(std::move(columns)) {
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (i > 0) text_ += ',';
    text_ += columns_[i];
  }
  text_ += '\n';
}

CsvTable& CsvTable::cell(std::string_view text) {
  if (text.find_first_of(",\"\n") != std::string_view::npos)
    throw std::invalid_argument("CsvTable: cell needs quoting");
  if (cells_in_row_++ > 0) text_ += ',';
  text_ += text;
  return *this;
}

CsvTable& CsvTable::cell(std::int64_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return cell(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
}

CsvTable& CsvTable::cell(double v) {
  if (std::isnan(v)) return cell(std::string_view{});
  // Shortest representation that round-trips: exact and compact.
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return cell(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
}

void CsvTable::end_row() {
  if (cells_in_row_ != columns_.size())
    throw std::logic_error("CsvTable: row has " + std::to_string(cells_in_row_) + " cells, expected " +
                           std::to_string(columns_.size()));
  text_ += '\n';
  cells_in_row_ = 0;
  ++rows_;
}

}  // namespace cbsim::sim
