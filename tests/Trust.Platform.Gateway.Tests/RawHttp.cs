using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Trust.Platform.Gateway.Tests;

/// <summary>An answer read off the wire: status, headers (names lower-cased) and the de-chunked body.</summary>
public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;

    public override string ToString() => $"{Status} {Header("content-type")} {Body[..Math.Min(Body.Length, 300)]}";
}

/// <summary>
/// HTTP/1.1 over a plain socket, so a test sends the request target byte for byte: HttpClient and
/// System.Uri would remove <c>..</c> segments and re-encode the path before an attacker's bytes ever left.
/// </summary>
public static class RawHttp
{
    public static async Task<RawResponse> SendAsync(
        Uri server, string method, string target, IEnumerable<(string Name, string Value)>? headers = null, byte[]? body = null, string? hostHeader = null, bool chunked = false)
    {
        using var tcp = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await tcp.ConnectAsync(IPAddress.Loopback, server.Port, timeout.Token);
        var stream = tcp.GetStream();
        var request = new StringBuilder()
            .Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(hostHeader ?? server.Authority).Append("\r\n");
        var sendsConnection = false;
        foreach (var (name, value) in headers ?? [])
        {
            sendsConnection |= name.Equals("Connection", StringComparison.OrdinalIgnoreCase);
            request.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        if (!sendsConnection)
        {
            request.Append("Connection: close\r\n");
        }

        if (body is not null)
        {
            request.Append(chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + body.Length).Append("\r\n");
        }

        request.Append("\r\n");
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request.ToString()), timeout.Token);
        if (body is not null)
        {
            try
            {
                if (chunked)
                {
                    foreach (var chunk in body.Chunk(4096))
                    {
                        await stream.WriteAsync(Encoding.Latin1.GetBytes($"{chunk.Length:x}\r\n"), timeout.Token);
                        await stream.WriteAsync(chunk, timeout.Token);
                        await stream.WriteAsync("\r\n"u8.ToArray(), timeout.Token);
                    }

                    await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), timeout.Token);
                }
                else
                {
                    await stream.WriteAsync(body, timeout.Token);
                }
            }
            catch (IOException)
            {
                // The server may answer (413) and close before it has read the whole body.
            }
        }

        using var received = new MemoryStream();
        try
        {
            await stream.CopyToAsync(received, timeout.Token);
        }
        catch (IOException) when (received.Length > 0)
        {
            // A reset after the answer (the server closed with unread request bytes) still leaves the answer.
        }

        return Parse(received.ToArray());
    }

    private static RawResponse Parse(byte[] bytes)
    {
        var text = Encoding.Latin1.GetString(bytes);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            throw new InvalidOperationException($"No complete HTTP answer: '{text}'");
        }

        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>();
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            headers[name] = headers.TryGetValue(name, out var existing) ? existing + ", " + value : value;
        }

        var body = text[(end + 4)..];
        if (headers.TryGetValue("transfer-encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Dechunk(body);
        }

        return new RawResponse(status, headers, Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(body)));
    }

    private static string Dechunk(string chunked)
    {
        var result = new StringBuilder();
        var position = 0;
        while (position < chunked.Length)
        {
            var lineEnd = chunked.IndexOf("\r\n", position, StringComparison.Ordinal);
            if (lineEnd < 0)
            {
                break;
            }

            var size = Convert.ToInt32(chunked[position..lineEnd].Split(';')[0].Trim(), 16);
            if (size == 0)
            {
                break;
            }

            result.Append(chunked, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }

        return result.ToString();
    }
}
