import { describe, expect, it } from "vitest";
import { parseTemplateText } from "../../src/template/parse-template.js";
import { referencedResource, referencesResource } from "../../src/template/references.js";

/** The value of Resources.Thing.Properties.Value in a YAML template, short forms expanded. */
function parsedValue(yamlValue: string): unknown {
  const text = `Resources:\n  Thing:\n    Type: Custom::Thing\n    Properties:\n      Value: ${yamlValue}\n`;
  const resources = parseTemplateText(text, "template.yaml").template.Resources as Record<
    string,
    { Properties: { Value: unknown } }
  >;
  return resources.Thing!.Properties.Value;
}

describe("referencedResource: the resource a Ref or Fn::GetAtt names", () => {
  it.each([
    ["!Ref Orders", "Orders"],
    ["!GetAtt Orders.Arn", "Orders"],
    ["!GetAtt Db.Endpoint.Address", "Db"],
    ['{ "Fn::GetAtt": ["Orders", "Arn"] }', "Orders"],
    ['{ "Fn::GetAtt": "Orders.Arn" }', "Orders"],
  ])("%s names %s", (value, id) => {
    expect(referencedResource(parsedValue(value))).toBe(id);
  });

  it("names nothing for a Fn::Sub or a plain string", () => {
    expect(referencedResource(parsedValue("!Sub ${Orders.Arn}"))).toBeUndefined();
    expect(referencedResource(parsedValue("Orders"))).toBeUndefined();
  });
});

describe("referencesResource: a value that refers to a resource anywhere inside it", () => {
  it.each([
    ["a Ref", "!Ref Orders"],
    ["a short-form GetAtt", "!GetAtt Orders.Arn"],
    ["a long-form GetAtt list", '{ "Fn::GetAtt": ["Orders", "Arn"] }'],
    ["a GetAtt as a dotted string", '{ "Fn::GetAtt": "Orders.Arn" }'],
    ["${Id} in a Fn::Sub", "!Sub arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:${Orders}"],
    [
      "${Id.Attribute} in a Fn::Sub",
      "!Sub arn:aws:apigateway:${AWS::Region}:lambda:path/functions/${Orders.Arn}/invocations",
    ],
    [
      "a Fn::Sub variable whose value refers to it",
      '!Sub ["${Target}/invocations", { Target: !GetAtt Orders.Arn }]',
    ],
    ["a Fn::If branch", "!If [IsProd, !GetAtt Orders.Arn, !Ref AWS::NoValue]"],
    ["a Fn::Join part", '!Join ["", ["arn:", !Ref AWS::Partition, ":", !GetAtt Orders.Arn]]'],
    ["a Fn::Select list", "!Select [0, [!Ref Orders, !Ref Other]]"],
    ["a Fn::Sub inside a Fn::If", "!If [IsProd, !Sub '${Orders.Arn}:live', none]"],
  ])("%s", (_what, value) => {
    expect(referencesResource(parsedValue(value), "Orders")).toBe(true);
    expect(referencesResource(parsedValue(value), "Order")).toBe(false);
  });

  it.each([
    [
      "a Fn::Sub's own variable of the same name",
      '!Sub ["${Orders}/invocations", { Orders: !GetAtt Other.Arn }]',
    ],
    ["an escaped ${!Id}, written out as it is", "!Sub literal-${!Orders}"],
    ["a longer name that starts with it", "!Sub ${OrdersQueue.Arn}"],
    ["a plain string that happens to be its name", "Orders"],
    ["a condition named like it", "!If [Orders, !Ref Other, none]"],
  ])("not %s", (_what, value) => {
    expect(referencesResource(parsedValue(value), "Orders")).toBe(false);
  });
});
