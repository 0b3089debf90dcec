package io.github.relayllm.eval.report;

import java.util.Base64;
import java.util.List;

/** A self-contained HTML page: the report's tables and the accuracy/cost plot inlined as a base64 PNG. */
public final class HtmlReport {

    private HtmlReport() {
    }

    public static String render(Report report, byte[] png) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>Relay evaluation report</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}")
                .append("table{border-collapse:collapse;margin:1em 0;font-size:14px}")
                .append("th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}")
                .append("th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}")
                .append("p.note{max-width:60em;font-size:14px;line-height:1.4}\n</style>\n</head>\n<body>\n")
                .append("<h1>Relay evaluation report</h1>\n");
        table(html, MarkdownReport.summaryHeader(), MarkdownReport.summaryRows(report));
        html.append("<h2>Runs</h2>\n");
        table(html, MarkdownReport.runHeader(report), MarkdownReport.runRows(report));
        if (!report.baselines().isEmpty()) {
            html.append("<h2>Against the random router</h2>\n");
            table(html, MarkdownReport.baselineHeader(report), MarkdownReport.baselineRows(report));
        } else {
            html.append("<p class=\"note\">Random-router baselines need a student run, a teacher run and a relay "
                    + "or teacher-free run.</p>\n");
        }
        html.append("<p><img alt=\"accuracy against cost per sample\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\"></p>\n");
        html.append("<p class=\"note\">").append(escape(MarkdownReport.definitions(report))).append("</p>\n");
        html.append("</body>\n</html>\n");
        return html.toString();
    }

    static void table(StringBuilder html, List<String> header, List<List<String>> rows) {
        html.append("<table>\n<tr>");
        header.forEach(h -> html.append("<th>").append(escape(h)).append("</th>"));
        html.append("</tr>\n");
        for (List<String> row : rows) {
            html.append("<tr>");
            row.forEach(cell -> html.append("<td>").append(escape(cell)).append("</td>"));
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
