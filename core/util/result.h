#pragma once
// Errors in the core are values, not exceptions: the same code runs in WebAssembly, where
// Emscripten's exception support is slow and off by default, and every failure must reach the
// user as a sentence ("model.safetensors: tensor 'rnn.0.fwd.kernel' has shape [64,64], ...").

#include <string>
#include <utility>
#include <variant>

namespace unroll {

/** A failure described for a person: what was wrong, and where. */
struct Error {
  std::string message;
};

/** Either a value or an Error. Check ok() before value(). */
template <class T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}
  Result(Error error) : state_(std::move(error)) {}

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  const std::string& error() const { return std::get<Error>(state_).message; }

 private:
  std::variant<T, Error> state_;
};

/** Result of an operation that returns nothing on success. */
class Status {
 public:
  Status() = default;
  Status(Error error) : failed_(true), message_(std::move(error.message)) {}
  static Status success() { return Status(); }

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const std::string& error() const { return message_; }

 private:
  bool failed_ = false;
  std::string message_;
};

}  // namespace unroll
