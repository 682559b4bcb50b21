"""lambda-optimizer's Python runtime.

Loads the handler named by _HANDLER ("module.function") from LAMBDA_TASK_ROOT
and serves invocations over the Lambda Runtime API, as Lambda's managed
python3.x runtimes do. Standard library only: it runs inside the sandbox as
the function's own process.
"""

import http.client
import importlib
import json
import logging
import os
import re
import sys
import threading
import time
import traceback

API = os.environ.get("AWS_LAMBDA_RUNTIME_API", "")
HANDLER = os.environ.get("_HANDLER", "lambda_function.lambda_handler")
TASK_ROOT = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
JSON_LOGS = os.environ.get("AWS_LAMBDA_LOG_FORMAT") == "JSON"
BASE = "/2018-06-01/runtime"

current_request_id = None

# ---- never outlive the emulator ----------------------------------------------
# The runtime ends when whoever started it is gone: its parent changed (the
# emulator died and we were reparented), the Runtime API went away, or our
# output has nowhere to go.
PARENT_CHECK_SECONDS = 0.5


def orphaned():
    os._exit(129)


def expected_parent():
    owner = re.match(r"^\d+-(\d+)-", os.environ.get("LAMBDA_OPTIMIZER_OWNER", ""))
    return int(owner.group(1)) if owner else os.getppid()


def watch_parent(parent):
    while True:
        if os.getppid() != parent:
            orphaned()
        time.sleep(PARENT_CHECK_SECONDS)


class ExitOnBrokenPipe:
    """A standard stream that ends the runtime when its reader is gone, instead of raising into user code."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text):
        try:
            return self._stream.write(text)
        except (BrokenPipeError, ConnectionResetError):
            orphaned()

    def flush(self):
        try:
            self._stream.flush()
        except (BrokenPipeError, ConnectionResetError):
            orphaned()

    def __getattr__(self, name):
        return getattr(self._stream, name)


class RuntimeApi:
    """A keep-alive HTTP client for the Runtime API."""

    def __init__(self, address):
        host, port = address.rsplit(":", 1)
        self.connection = http.client.HTTPConnection(host, int(port))

    def call(self, method, path, body=None, headers=None):
        for attempt in range(2):
            try:
                self.connection.request(method, BASE + path, body=body, headers=headers or {})
                response = self.connection.getresponse()
                return response.status, response.getheaders(), response.read()
            except (http.client.HTTPException, ConnectionError):
                # A keep-alive connection the server closed: open a new one once.
                self.connection.close()
                if attempt == 1:
                    # twice in a row: the Runtime API, and with it the emulator, is gone
                    orphaned()
        raise RuntimeError("unreachable")


class LambdaContext:
    def __init__(self, headers):
        self.aws_request_id = headers.get("lambda-runtime-aws-request-id")
        self.invoked_function_arn = headers.get("lambda-runtime-invoked-function-arn")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"))
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self._deadline_ms = int(headers.get("lambda-runtime-deadline-ms", "0"))
        client_context = headers.get("lambda-runtime-client-context")
        self.client_context = json.loads(client_context) if client_context else None
        identity = headers.get("lambda-runtime-cognito-identity")
        self.identity = json.loads(identity) if identity else None

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))


class LambdaTextFormatter(logging.Formatter):
    """Lambda's text log line: [LEVEL]\\ttimestamp\\trequestId\\tmessage."""

    def format(self, record):
        timestamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        millis = int(record.msecs)
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + self.formatException(record.exc_info)
        # One log event per record, as Lambda keeps it.
        message = message.replace("\n", "\r")
        return f"[{record.levelname}]\t{timestamp}.{millis:03d}Z\t{current_request_id}\t{message}"


class LambdaJsonFormatter(logging.Formatter):
    def format(self, record):
        document = {
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "message": record.getMessage(),
            "logger": record.name,
            "requestId": current_request_id,
        }
        if record.exc_info:
            document["stackTrace"] = traceback.format_exception(*record.exc_info)
        return json.dumps(document, default=str)


def configure_logging():
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(LambdaJsonFormatter() if JSON_LOGS else LambdaTextFormatter())
    root = logging.getLogger()
    root.handlers = [handler]
    # Lambda's Python runtime leaves the root level at WARNING unless told otherwise.
    root.setLevel(os.environ.get("AWS_LAMBDA_LOG_LEVEL", "WARNING").upper())


def error_document(error, error_type=None):
    return {
        "errorMessage": str(error),
        "errorType": error_type or type(error).__name__,
        "requestId": current_request_id or "",
        "stackTrace": traceback.format_list(traceback.extract_tb(error.__traceback__))
        if error.__traceback__
        else [],
    }


def post_error(api, path, document):
    body = json.dumps(document).encode()
    api.call(
        "POST",
        path,
        body=body,
        headers={"Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": document["errorType"]},
    )


def log_error(document):
    """Write the error as Lambda does: one log event, its lines joined by \\r."""
    lines = [f"[ERROR] {document['errorType']}: {document['errorMessage']}"]
    if document["stackTrace"]:
        lines.append("Traceback (most recent call last):")
        lines.extend(frame.rstrip("\n") for frame in document["stackTrace"])
    sys.stdout.write("\r".join(line.replace("\n", "\r") for line in lines) + "\n")
    sys.stdout.flush()


def load_handler():
    module_name, _, function_name = HANDLER.rpartition(".")
    if not module_name or not function_name:
        raise HandlerError("Runtime.MalformedHandlerName", f"Bad handler '{HANDLER}': not enough values to unpack (expected 2, got 1)")
    module_name = module_name.replace("/", ".")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise HandlerError("Runtime.ImportModuleError", f"Unable to import module '{module_name}': {error}") from error
    except SyntaxError as error:
        raise HandlerError("Runtime.UserCodeSyntaxError", f"Syntax error in module '{module_name}': {error}") from error
    handler = getattr(module, function_name, None)
    if handler is None:
        raise HandlerError("Runtime.HandlerNotFound", f"Handler '{function_name}' missing on module '{module_name}'")
    return handler


class HandlerError(Exception):
    def __init__(self, error_type, message):
        super().__init__(message)
        self.error_type = error_type


def main():
    global current_request_id
    if not API:
        sys.stderr.write("AWS_LAMBDA_RUNTIME_API is not set\n")
        sys.exit(1)
    sys.path.insert(0, TASK_ROOT)
    sys.stdout.reconfigure(line_buffering=True)
    sys.stderr.reconfigure(line_buffering=True)
    sys.stdout = ExitOnBrokenPipe(sys.stdout)
    sys.stderr = ExitOnBrokenPipe(sys.stderr)
    parent = expected_parent()
    if os.getppid() != parent:
        orphaned()
    threading.Thread(target=watch_parent, args=(parent,), daemon=True, name="parent-watch").start()
    configure_logging()
    api = RuntimeApi(API)

    try:
        handler = load_handler()
    except HandlerError as error:
        document = error_document(error, error.error_type)
        document["stackTrace"] = []
        log_error(document)
        post_error(api, "/init/error", document)
        sys.exit(1)
    except Exception as error:  # the module's own init code failed
        document = error_document(error)
        log_error(document)
        post_error(api, "/init/error", document)
        sys.exit(1)

    while True:
        _status, header_list, body = api.call("GET", "/invocation/next")
        headers = {name.lower(): value for name, value in header_list}
        current_request_id = headers.get("lambda-runtime-aws-request-id")
        os.environ["_X_AMZN_TRACE_ID"] = headers.get("lambda-runtime-trace-id", "")
        try:
            event = json.loads(body or b"{}")
        except ValueError as error:
            post_error(api, f"/invocation/{current_request_id}/error", error_document(error, "Runtime.UnmarshalError"))
            continue
        try:
            result = handler(event, LambdaContext(headers))
            try:
                payload = json.dumps(result).encode()
            except (TypeError, ValueError) as error:
                document = error_document(error, "Runtime.MarshalError")
                document["errorMessage"] = f"Unable to marshal response: {error}"
                sys.stdout.flush()
                post_error(api, f"/invocation/{current_request_id}/error", document)
                continue
            sys.stdout.flush()
            sys.stderr.flush()
            api.call(
                "POST",
                f"/invocation/{current_request_id}/response",
                body=payload,
                headers={"Content-Type": "application/json"},
            )
        except Exception as error:  # the handler failed: Lambda reports it, the environment lives on
            document = error_document(error)
            log_error(document)
            post_error(api, f"/invocation/{current_request_id}/error", document)
        finally:
            current_request_id = None


if __name__ == "__main__":
    main()
