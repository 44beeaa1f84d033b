package dev.junction.admin;

import dev.junction.usage.UsageStats.Row;
import java.time.Instant;

/** The usage CSV export's lines (RFC 4180: a field with a comma, quote or line break is quoted). */
final class CsvRows {

    static final String HEADER = "at,request_id,key,key_id,user_id,team_id,model,channel,channel_id,upstream_model,"
            + "status,end_reason,stream,client_api,client_ip,input_tokens,output_tokens,cached_read_tokens,"
            + "cache_write_tokens,reasoning_tokens,token_source,cost_usd,latency_ms,ttft_ms,config_version,endpoint,units,"
            + "unit,unit_detail,units_estimated\r\n";

    private CsvRows() {
    }

    static String line(Row r) {
        StringBuilder s = new StringBuilder(256);
        field(s, Instant.ofEpochMilli(r.ts()).toString());
        field(s, r.requestId());
        field(s, r.keyName());
        field(s, r.keyId());
        field(s, r.userId());
        field(s, r.teamId());
        field(s, r.publicModel());
        field(s, r.channel());
        field(s, r.channelId());
        field(s, r.upstreamModel());
        field(s, r.status());
        field(s, r.endReason());
        field(s, r.stream());
        field(s, r.clientApi());
        field(s, r.clientIp());
        field(s, r.promptTokens());
        field(s, r.completionTokens());
        field(s, r.cachedReadTokens());
        field(s, r.cacheWriteTokens());
        field(s, r.reasoningTokens());
        field(s, r.tokenSource());
        field(s, r.costMicros() == null ? null : UsageApi.usd(r.costMicros()));
        field(s, r.latencyMs());
        field(s, r.firstByteMs());
        field(s, r.configVersion());
        field(s, r.endpoint());
        field(s, r.units());
        field(s, r.unit());
        field(s, r.unitDetail());
        field(s, r.unitsEstimated());
        s.setLength(s.length() - 1);
        return s.append("\r\n").toString();
    }

    private static void field(StringBuilder s, Object value) {
        if (value != null) {
            String text = value.toString();
            if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0
                    || text.indexOf('\r') >= 0) {
                s.append('"').append(text.replace("\"", "\"\"")).append('"');
            } else {
                s.append(text);
            }
        }
        s.append(',');
    }
}
