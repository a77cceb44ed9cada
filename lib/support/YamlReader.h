//===- YamlReader.h - Strict reading of ramfit's YAML files -----*- C++ -*-===//
//
// The plan and the config are read the same way: every key must be known,
// every value of the right type, and a problem is an error at
// 'FILE':LINE:COLUMN naming the offending text.
//
//===----------------------------------------------------------------------===//
#ifndef RAMFIT_YAMLREADER_H
#define RAMFIT_YAMLREADER_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"
#include <functional>
#include <map>
#include <string>
#include <vector>
#include <yaml-cpp/yaml.h>

namespace ramfit {

class YamlReader {
public:
  explicit YamlReader(llvm::StringRef Path) : Path(Path.str()) {}

  /// Parses Content; a syntax error is reported where it is.
  llvm::Expected<YAML::Node> load(llvm::StringRef Content) const;

  llvm::Error error(const YAML::Node &Node, const llvm::Twine &Message) const;

  using FieldReaders =
      std::map<std::string, std::function<llvm::Error(const YAML::Node &)>>;

  /// Every key must be known; every known key is optional unless Required.
  llvm::Error map(const YAML::Node &Node, llvm::StringRef What,
                  const FieldReaders &Fields,
                  std::initializer_list<const char *> Required = {}) const;

  llvm::Error text(const YAML::Node &Node, std::string &Out) const;
  llvm::Error texts(const YAML::Node &Node,
                    std::vector<std::string> &Out) const;
  /// true or false, as YAML spells them.
  llvm::Error boolean(const YAML::Node &Node, bool &Out) const;

  template <typename T>
  llvm::Error number(const YAML::Node &Node, T &Out) const {
    llvm::StringRef Scalar =
        Node.IsScalar() ? llvm::StringRef(Node.Scalar()) : "";
    if (Scalar.startswith("-"))
      return error(Node, "'" + Scalar + "' must not be negative");
    if (!Node.IsScalar() || !YAML::convert<T>::decode(Node, Out))
      return error(Node, "expected a number, got '" + Scalar + "'");
    return llvm::Error::success();
  }

  /// A scalar through the value parser the command line uses too; its
  /// error is reported at the value.
  template <typename T>
  llvm::Error
  value(const YAML::Node &Node, T &Out,
        llvm::function_ref<llvm::Expected<T>(llvm::StringRef)> Parse) const {
    std::string Text;
    if (llvm::Error Err = text(Node, Text))
      return Err;
    llvm::Expected<T> Parsed = Parse(Text);
    if (!Parsed)
      return error(Node, llvm::toString(Parsed.takeError()));
    Out = std::move(*Parsed);
    return llvm::Error::success();
  }

private:
  std::string Path;
};

} // namespace ramfit

#endif
