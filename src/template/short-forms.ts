/**
 * CloudFormation's YAML short forms (!Ref, !Sub, !GetAtt, ...) as `yaml`
 * custom tags that rewrite each tagged node into its long form while the
 * document is composed. Doing it on the syntax tree (rather than on the JS
 * value afterwards) keeps every node's source range, so a path through the
 * long form ("Fn::GetAtt", 0) still finds its line.
 */
import { type CollectionTag, Pair, Scalar, type ScalarTag, YAMLMap, type YAMLSeq } from "yaml";

/** Short form tag → the long form's key. */
export const SHORT_FORMS: Readonly<Record<string, string>> = {
  "!Ref": "Ref",
  "!Condition": "Condition",
  "!Sub": "Fn::Sub",
  "!GetAtt": "Fn::GetAtt",
  "!Join": "Fn::Join",
  "!Select": "Fn::Select",
  "!Split": "Fn::Split",
  "!If": "Fn::If",
  "!Equals": "Fn::Equals",
  "!And": "Fn::And",
  "!Or": "Fn::Or",
  "!Not": "Fn::Not",
  "!FindInMap": "Fn::FindInMap",
  "!ImportValue": "Fn::ImportValue",
  "!Base64": "Fn::Base64",
  "!Cidr": "Fn::Cidr",
  "!GetAZs": "Fn::GetAZs",
  "!Transform": "Fn::Transform",
  // AWS::LanguageExtensions, seen in real templates; resolve.ts leaves them as they are.
  "!Length": "Fn::Length",
  "!ToJsonString": "Fn::ToJsonString",
};

/**
 * `!GetAtt Resource.Attribute` names the attribute after the first dot only:
 * nested attributes such as `Db.Endpoint.Address` keep their own dots.
 */
function scalarArgument(longForm: string, text: string): unknown {
  if (longForm !== "Fn::GetAtt") return text;
  const dot = text.indexOf(".");
  return dot === -1 ? [text] : [text.slice(0, dot), text.slice(dot + 1)];
}

function scalarTag(tag: string, longForm: string): ScalarTag {
  return { tag, resolve: (text) => ({ [longForm]: scalarArgument(longForm, text) }) };
}

/** Wrap the tagged collection in a one-key map; the wrapper and its key take the collection's range. */
function collectionTag(tag: string, longForm: string, collection: "map" | "seq"): CollectionTag {
  return {
    tag,
    collection,
    resolve(node: YAMLMap.Parsed | YAMLSeq.Parsed) {
      const key = new Scalar(longForm);
      key.range = node.range;
      const wrapper = new YAMLMap();
      wrapper.items.push(new Pair(key, node));
      return wrapper;
    },
  };
}

/** Pass as `customTags` to `yaml`'s parseDocument. */
export const CLOUDFORMATION_TAGS: ReadonlyArray<ScalarTag | CollectionTag> = Object.entries(
  SHORT_FORMS,
).flatMap(([tag, longForm]) => [
  scalarTag(tag, longForm),
  collectionTag(tag, longForm, "seq"),
  collectionTag(tag, longForm, "map"),
]);
