#include "services/vagtctl/vocabulary.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace vagt::vagtctl {

absl::StatusOr<int> ParseWord(Vocabulary words, std::string_view word,
                              std::string_view what) {
  const std::string lower = absl::AsciiStrToLower(std::string(word));
  for (const Word& w : words) {
    if (w.word == lower) return w.value;
  }
  return absl::InvalidArgumentError(
      absl::StrCat(std::string(what), ": '", std::string(word),
                   "' is not one of ", Choices(words)));
}

std::string WordFor(Vocabulary words, int value) {
  for (const Word& w : words) {
    if (w.value == value) return std::string(w.word);
  }
  return absl::StrCat(value);
}

std::string Choices(Vocabulary words) {
  std::string out;
  for (const Word& w : words) {
    if (!out.empty()) out += '|';
    out += w.word;
  }
  return out;
}

}  // namespace vagt::vagtctl
