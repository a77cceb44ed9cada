#include "support/Diagnostics.h"

using namespace llvm;

namespace ramfit {

char InputError::ID;

InputError::InputError(std::string File, unsigned Line, unsigned Column,
                       std::string Message)
    : File(std::move(File)), Line(Line), Column(Column),
      Message(std::move(Message)) {}

void InputError::log(raw_ostream &OS) const {
  OS << location(File, Line, Column) << Message;
}

std::error_code InputError::convertToErrorCode() const {
  return inconvertibleErrorCode();
}

Error inputError(StringRef File, unsigned Line, unsigned Column,
                 const Twine &Message) {
  return make_error<InputError>(File.str(), Line, Column, Message.str());
}

Error inputError(StringRef File, unsigned Line, const Twine &Message) {
  return inputError(File, Line, 0, Message);
}

Error inputError(StringRef File, const Twine &Message) {
  return inputError(File, 0, Message);
}

std::string location(StringRef File, unsigned Line, unsigned Column) {
  std::string Text = "'" + File.str() + "':";
  if (Line)
    Text += std::to_string(Line) + ":";
  if (Line && Column)
    Text += std::to_string(Column) + ":";
  return Text + " ";
}

Expected<std::unique_ptr<MemoryBuffer>> readInputFile(StringRef Path) {
  auto Buffer = MemoryBuffer::getFile(Path, /*IsText=*/false,
                                      /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return inputError(Path, Buffer.getError().message());
  return std::move(*Buffer);
}

void warning(DiagnosticHandler Handler, const Twine &Message) {
  Handler({Severity::Warning, Message.str()});
}

void note(DiagnosticHandler Handler, const Twine &Message) {
  Handler({Severity::Note, Message.str()});
}

} // namespace ramfit
