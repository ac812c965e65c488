// Test oracle: reads one JSON request on stdin, writes one JSON answer on stdout.
//
//   {"op":"parse","texts":["…"]}  → Microsoft's T-SQL parsers (ScriptDom) for SQL Server 2008 R2,
//     2012 and 2014: parse errors per parser, and (from TSql120Parser) the batches, statements and
//     the comment/string/quoted-identifier/GO tokens, as UTF-16 offsets (the same units as JS).
//   {"op":"sql","server":"127.0.0.1,port","user":…,"password":…,"steps":[…]} → Microsoft's TDS
//     client (SqlClient): logs in over TLS and runs each step (a batch, or an RPC with parameters),
//     capturing result sets, INFO messages and errors with their numbers.
//
// TLS: Encrypt=Mandatory with full certificate validation (no TrustServerCertificate). The caller
// points SSL_CERT_FILE at the lab's CA file: .NET on Linux builds its trust store from OpenSSL's
// default locations, which that variable replaces, so the lab's certificate chain and host name
// are checked exactly as a production client checks a real server's.
using System.Data;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.SqlClient;
using Microsoft.SqlServer.TransactSql.ScriptDom;

var request = JsonNode.Parse(Console.In.ReadToEnd())!.AsObject();
var op = (string?)request["op"];
JsonNode answer = op switch
{
  "parse" => Parse(request["texts"]!.AsArray().Select(t => (string)t!).ToList()),
  "sql" => await RunSql(request),
  _ => throw new ArgumentException($"unknown op '{op}': expected parse or sql"),
};
Console.Out.Write(answer.ToJsonString());
return 0;

static JsonObject Parse(List<string> texts)
{
  var parsers = new (string Name, Func<TSqlParser> Make)[]
  {
    ("TSql100", () => new TSql100Parser(true)),
    ("TSql110", () => new TSql110Parser(true)),
    ("TSql120", () => new TSql120Parser(true)),
  };
  var results = new JsonArray();
  foreach (var text in texts)
  {
    var errors = new JsonObject();
    TSqlFragment? tree = null;
    foreach (var (name, make) in parsers)
    {
      var fragment = make().Parse(new StringReader(text), out IList<ParseError> found);
      errors[name] = new JsonArray(found.Select(e => (JsonNode)new JsonObject
      {
        ["number"] = e.Number, ["offset"] = e.Offset, ["line"] = e.Line, ["column"] = e.Column, ["message"] = e.Message,
      }).ToArray());
      tree = fragment;
    }
    results.Add(new JsonObject { ["errors"] = errors, ["batches"] = Batches(tree), ["tokens"] = Tokens(tree) });
  }
  return new JsonObject { ["parsers"] = new JsonArray(parsers.Select(p => (JsonNode)p.Name).ToArray()), ["results"] = results };
}

static JsonArray Batches(TSqlFragment? tree)
{
  var batches = new JsonArray();
  if (tree is not TSqlScript script) return batches;
  foreach (var batch in script.Batches)
  {
    batches.Add(new JsonObject
    {
      ["start"] = batch.StartOffset,
      ["end"] = batch.StartOffset + batch.FragmentLength,
      ["statements"] = new JsonArray(batch.Statements.Select(s => (JsonNode)new JsonObject
      {
        ["start"] = s.StartOffset, ["end"] = s.StartOffset + s.FragmentLength, ["type"] = s.GetType().Name,
      }).ToArray()),
    });
  }
  return batches;
}

static JsonArray Tokens(TSqlFragment? tree)
{
  var kinds = new Dictionary<TSqlTokenType, string>
  {
    [TSqlTokenType.SingleLineComment] = "comment", [TSqlTokenType.MultilineComment] = "comment",
    [TSqlTokenType.AsciiStringLiteral] = "string", [TSqlTokenType.UnicodeStringLiteral] = "string",
    // "…" is AsciiStringOrQuotedIdentifier: an identifier here, as the parsers run with QUOTED_IDENTIFIER ON.
    [TSqlTokenType.QuotedIdentifier] = "quoted", [TSqlTokenType.AsciiStringOrQuotedIdentifier] = "quoted", [TSqlTokenType.Go] = "go", [TSqlTokenType.Semicolon] = "semicolon",
  };
  var tokens = new JsonArray();
  foreach (var t in tree?.ScriptTokenStream ?? [])
  {
    if (!kinds.TryGetValue(t.TokenType, out var kind)) continue;
    tokens.Add(new JsonObject { ["kind"] = kind, ["start"] = t.Offset, ["end"] = t.Offset + t.Text.Length, ["text"] = t.Text });
  }
  return tokens;
}

static async Task<JsonObject> RunSql(JsonObject request)
{
  var builder = new SqlConnectionStringBuilder
  {
    DataSource = (string)request["server"]!,
    UserID = (string)request["user"]!,
    Password = (string)request["password"]!,
    InitialCatalog = "master",
    Encrypt = SqlConnectionEncryptOption.Mandatory,
    TrustServerCertificate = false,
    HostNameInCertificate = (string?)request["hostNameInCertificate"] ?? "localhost",
    ConnectTimeout = 10,
    Pooling = false,
    ApplicationName = "lync-recovery-oracle",
  };
  var info = new JsonArray();
  await using var connection = new SqlConnection(builder.ConnectionString);
  connection.InfoMessage += (_, e) =>
  {
    foreach (SqlError m in e.Errors) info.Add(new JsonObject { ["number"] = m.Number, ["class"] = (int)m.Class, ["message"] = m.Message });
  };
  try
  {
    await connection.OpenAsync();
  }
  catch (SqlException e)
  {
    return new JsonObject { ["login"] = ErrorOf(e) };
  }
  var steps = new JsonArray();
  foreach (var node in request["steps"]!.AsArray())
  {
    var step = node!.AsObject();
    info.Clear();
    var result = new JsonObject();
    try
    {
      await using var command = new SqlCommand((string)step["text"]!, connection) { CommandTimeout = 30 };
      if ((string?)step["kind"] == "rpc") command.CommandType = CommandType.StoredProcedure;
      foreach (var (name, p) in step["params"]?.AsObject() ?? [])
      {
        var (type, size) = ((string)p!["type"]!) switch
        {
          "sysname" => (SqlDbType.NVarChar, 128),
          "nvarchar(260)" => (SqlDbType.NVarChar, 260),
          "int" => (SqlDbType.Int, 0),
          var other => throw new ArgumentException($"parameter @{name}: unknown type {other}"),
        };
        var value = p["value"]!.GetValueKind() == JsonValueKind.Number ? (object)(int)p["value"]! : (string)p["value"]!;
        command.Parameters.Add(new SqlParameter("@" + name, type, size) { Value = value });
      }
      await using var reader = await command.ExecuteReaderAsync();
      var sets = new JsonArray();
      do
      {
        if (reader.FieldCount == 0) continue;
        var rows = new JsonArray();
        while (await reader.ReadAsync())
        {
          var row = new JsonObject();
          for (var i = 0; i < reader.FieldCount; i++) row[reader.GetName(i)] = reader.IsDBNull(i) ? null : JsonValue.Create(reader.GetValue(i).ToString());
          rows.Add(row);
        }
        sets.Add(rows);
      } while (await reader.NextResultAsync());
      result["resultSets"] = sets;
    }
    catch (SqlException e)
    {
      result["error"] = ErrorOf(e);
    }
    result["info"] = info.DeepClone();
    steps.Add(result);
  }
  return new JsonObject { ["login"] = null, ["steps"] = steps };
}

static JsonObject ErrorOf(SqlException e) => new() { ["number"] = e.Number, ["class"] = (int)e.Class, ["state"] = (int)e.State, ["message"] = e.Message };
