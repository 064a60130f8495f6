#include "text/utf8.h"

namespace unroll::utf8 {
namespace {

constexpr Decoded kInvalid{U'\uFFFD', 0};

bool is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// In the blocks below, upper and lower case alternate: the upper one sits on an even code point
// (or an odd one) and its lowercase form follows it.
bool upper_on_even(char32_t c, char32_t first, char32_t last) {
  return c >= first && c <= last && (c % 2 == 0);
}
bool upper_on_odd(char32_t c, char32_t first, char32_t last) {
  return c >= first && c <= last && (c % 2 == 1);
}

}  // namespace

Decoded decode(std::string_view text, std::size_t pos) {
  const std::size_t n = text.size();
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(pos);
  if (lead < 0x80) return {lead, 1};

  // The lead byte fixes the length and, for E0/ED/F0/F4, a narrower range for the second byte;
  // that range check is what rejects overlong forms, surrogates and values above U+10FFFF.
  std::size_t length;
  unsigned char second_min = 0x80, second_max = 0xBF;
  char32_t code_point;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0F;
    if (lead == 0xE0) second_min = 0xA0;  // below: overlong
    if (lead == 0xED) second_max = 0x9F;  // above: UTF-16 surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07;
    if (lead == 0xF0) second_min = 0x90;  // below: overlong
    if (lead == 0xF4) second_max = 0x8F;  // above: beyond U+10FFFF
  } else {
    return kInvalid;  // continuation byte, C0/C1 (always overlong) or F5..FF
  }
  if (length > n - pos) return kInvalid;  // cut short by the end of the text
  const unsigned char second = byte(pos + 1);
  if (second < second_min || second > second_max) return kInvalid;
  code_point = (code_point << 6) | (second & 0x3F);
  for (std::size_t i = 2; i < length; ++i) {
    const unsigned char next = byte(pos + i);
    if (!is_continuation(next)) return kInvalid;
    code_point = (code_point << 6) | (next & 0x3F);
  }
  return {code_point, length};
}

void append(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

char32_t to_lower(char32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 0x20 : c;
  if (c < 0x100) return (c >= 0xC0 && c <= 0xDE && c != 0xD7) ? c + 0x20 : c;  // × stays

  // Latin Extended-A and the Romanian/Livonian part of Extended-B.
  if (c < 0x250) {
    if (c == 0x130) return U'i';  // İ: the simple mapping drops the dot
    if (c == 0x178) return 0xFF;  // Ÿ → ÿ, whose pair lives in Latin-1
    if (upper_on_even(c, 0x100, 0x12F) || upper_on_even(c, 0x132, 0x137) ||
        upper_on_odd(c, 0x139, 0x148) || upper_on_even(c, 0x14A, 0x177) ||
        upper_on_odd(c, 0x179, 0x17E) || upper_on_even(c, 0x200, 0x21F) ||
        upper_on_even(c, 0x222, 0x233)) {
      return c + 1;
    }
    return c;
  }

  // Greek.
  if (c >= 0x370 && c < 0x400) {
    if (c == 0x386) return 0x3AC;                                 // Ά
    if (c >= 0x388 && c <= 0x38A) return c + 0x25;                // Έ Ή Ί
    if (c == 0x38C) return 0x3CC;                                 // Ό
    if (c == 0x38E || c == 0x38F) return c + 0x3F;                // Ύ Ώ
    if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) return c + 0x20;  // Α..Ϋ (03A2 unassigned)
    if (upper_on_even(c, 0x370, 0x373) || c == 0x376 || upper_on_even(c, 0x3D8, 0x3EF) ||
        c == 0x3F7 || c == 0x3FA) {
      return c + 1;
    }
    return c;
  }

  // Cyrillic and Cyrillic Supplement.
  if (c >= 0x400 && c < 0x530) {
    if (c <= 0x40F) return c + 0x50;  // Ѐ..Џ
    if (c <= 0x42F) return c + 0x20;  // А..Я
    if (c == 0x4C0) return 0x4CF;     // Ӏ
    if (upper_on_even(c, 0x460, 0x481) || upper_on_even(c, 0x48A, 0x4BF) ||
        upper_on_odd(c, 0x4C1, 0x4CE) || upper_on_even(c, 0x4D0, 0x52F)) {
      return c + 1;
    }
    return c;
  }

  // Armenian.
  if (c >= 0x531 && c <= 0x556) return c + 0x30;

  // Latin Extended Additional (Vietnamese, Welsh, ...) and capital sharp s.
  if (c >= 0x1E00 && c <= 0x1EFF) {
    if (c == 0x1E9E) return 0xDF;  // ẞ → ß
    if (upper_on_even(c, 0x1E00, 0x1E95) || upper_on_even(c, 0x1EA0, 0x1EFF)) return c + 1;
    return c;
  }

  // Fullwidth Latin capitals.
  if (c >= 0xFF21 && c <= 0xFF3A) return c + 0x20;
  return c;
}

}  // namespace unroll::utf8
