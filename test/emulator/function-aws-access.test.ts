/** What a local function gets of AWS: the schema's checks and defaults, and the variables it sets. */
import { describe, expect, it } from "vitest";
import {
  awsAccessEnvironment,
  NO_AWS_ACCESS,
  NO_SHARED_AWS_FILE,
  parseFunctionAwsAccess,
  withoutReservedCredentials,
} from "../../src/emulator/function-aws-access.js";
import { UsageError } from "../../src/errors.js";

const HOST = {
  AWS_ACCESS_KEY_ID: "AKIAHOST",
  AWS_SECRET_ACCESS_KEY: "host-secret",
  AWS_PROFILE: "work",
  HOME: "/home/someone",
};

describe("parseFunctionAwsAccess", () => {
  it("defaults to no endpoint and no credentials", () => {
    expect(parseFunctionAwsAccess({})).toEqual({ passCredentials: false });
    expect(NO_AWS_ACCESS).toEqual({ passCredentials: false });
  });

  it("takes http and https endpoints, and names the option as the caller knows it", () => {
    expect(
      parseFunctionAwsAccess({ endpointUrl: "https://localhost.localstack.cloud:4566" }),
    ).toEqual({ endpointUrl: "https://localhost.localstack.cloud:4566", passCredentials: false });
    expect(() =>
      parseFunctionAwsAccess(
        { endpointUrl: "localhost:5000" },
        { endpointUrl: "--aws-endpoint-url" },
      ),
    ).toThrow(
      new UsageError(
        '--aws-endpoint-url "localhost:5000" is not valid: expected an http:// or https:// URL such as http://127.0.0.1:5000',
      ),
    );
    expect(() => parseFunctionAwsAccess({ endpointUrl: "file:///etc/passwd" })).toThrow(
      /^endpointUrl "file:\/\/\/etc\/passwd" is not valid/,
    );
  });
});

describe("awsAccessEnvironment", () => {
  it("gives no credentials and hides the shared files by default", () => {
    expect(awsAccessEnvironment(NO_AWS_ACCESS, HOST)).toEqual({
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_SHARED_CREDENTIALS_FILE: NO_SHARED_AWS_FILE,
      AWS_CONFIG_FILE: NO_SHARED_AWS_FILE,
    });
  });

  it("gives the endpoint and placeholder credentials with an endpoint", () => {
    expect(
      awsAccessEnvironment({ endpointUrl: "http://127.0.0.1:5000", passCredentials: false }, HOST),
    ).toEqual({
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_ENDPOINT_URL: "http://127.0.0.1:5000",
      AWS_SHARED_CREDENTIALS_FILE: NO_SHARED_AWS_FILE,
      AWS_CONFIG_FILE: NO_SHARED_AWS_FILE,
      AWS_ACCESS_KEY_ID: "testing",
      AWS_SECRET_ACCESS_KEY: "testing",
    });
  });

  it("gives the host's credentials, and only those, when asked", () => {
    expect(awsAccessEnvironment({ passCredentials: true }, HOST)).toEqual({
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_ACCESS_KEY_ID: "AKIAHOST",
      AWS_SECRET_ACCESS_KEY: "host-secret",
      AWS_PROFILE: "work",
    });
  });

  it("drops the credentials Lambda reserves from the function's own variables", () => {
    expect(
      withoutReservedCredentials({
        AWS_ACCESS_KEY_ID: "in-template",
        AWS_SECRET_ACCESS_KEY: "in-template",
        AWS_SESSION_TOKEN: "in-template",
        TABLE_NAME: "Orders",
      }),
    ).toEqual({ TABLE_NAME: "Orders" });
  });
});
