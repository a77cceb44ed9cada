#include "support/YamlReader.h"
#include "support/Choices.h"
#include "support/Diagnostics.h"

using namespace llvm;

namespace ramfit {

Expected<YAML::Node> YamlReader::load(StringRef Content) const {
  try {
    return YAML::Load(Content.str());
  } catch (const YAML::Exception &E) {
    return inputError(Path, E.mark.line + 1, E.mark.column + 1, E.msg);
  }
}

Error YamlReader::error(const YAML::Node &Node, const Twine &Message) const {
  YAML::Mark Mark = Node.Mark();
  return inputError(Path, Mark.line + 1, Mark.column + 1, Message);
}

Error YamlReader::map(const YAML::Node &Node, StringRef What,
                      const FieldReaders &Fields,
                      std::initializer_list<const char *> Required) const {
  if (!Node.IsMap())
    return error(Node, What + " must be a mapping");
  for (const auto &Entry : Node) {
    std::string Key = Entry.first.Scalar();
    auto Reader = Fields.find(Key);
    if (Reader == Fields.end()) {
      std::vector<StringRef> Known;
      for (const auto &Field : Fields)
        Known.push_back(Field.first);
      return error(Entry.first, "unknown key '" + Key + "' in " + What +
                                    didYouMean(Key, Known));
    }
    if (Error Err = Reader->second(Entry.second))
      return Err;
  }
  for (const char *Key : Required)
    if (!Node[Key])
      return error(Node, What + " has no '" + Key + "'");
  return Error::success();
}

Error YamlReader::text(const YAML::Node &Node, std::string &Out) const {
  if (!Node.IsScalar())
    return error(Node, "expected text");
  Out = Node.Scalar();
  return Error::success();
}

Error YamlReader::boolean(const YAML::Node &Node, bool &Out) const {
  if (!Node.IsScalar() || !YAML::convert<bool>::decode(Node, Out))
    return error(Node, "expected true or false, got '" +
                           StringRef(Node.IsScalar() ? Node.Scalar() : "") +
                           "'");
  return Error::success();
}

Error YamlReader::texts(const YAML::Node &Node,
                        std::vector<std::string> &Out) const {
  if (!Node.IsSequence())
    return error(Node, "expected a list");
  for (const YAML::Node &Item : Node) {
    std::string Text;
    if (Error Err = text(Item, Text))
      return Err;
    Out.push_back(std::move(Text));
  }
  return Error::success();
}

} // namespace ramfit
