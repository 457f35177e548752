import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import org.apache.catalina.Context;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;

/**
 * The Tomcat side of the WebSocket server decision: embedded Tomcat (the servlet container the rest of
 * the application runs on) with a minimal Jakarta WebSocket endpoint at /v1/signal that keeps each peer's
 * session in a swarm and answers its announce. It holds less per peer than a real tracker would, so the
 * comparison favours Tomcat. bench/tracker-memory.sh runs it with the same idle-peer client as the tracker.
 *
 * Usage: java -cp TOMCAT_JARS bench/TomcatIdlePeers.java PORT
 */
public class TomcatIdlePeers {

    @ServerEndpoint("/v1/signal")
    public static class Signal {

        static final Map<String, Set<Session>> swarms = new ConcurrentHashMap<>();

        @OnMessage
        public void onMessage(Session session, String message) throws IOException {
            int at = message.indexOf("\"info_hash\":\"");
            String swarm = at < 0 ? "" : message.substring(at + 13, Math.min(message.length(), at + 33));
            swarms.computeIfAbsent(swarm, key -> ConcurrentHashMap.newKeySet()).add(session);
            session.getUserProperties().put("swarm", swarm);
            session.getBasicRemote().sendText("{\"action\":\"announce\",\"interval\":120,\"info_hash\":\"" + swarm
                    + "\",\"complete\":0,\"incomplete\":1}");
        }

        @OnClose
        public void onClose(Session session) {
            Object swarm = session.getUserProperties().get("swarm");
            if (swarm != null) {
                swarms.getOrDefault(swarm.toString(), Set.of()).remove(session);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(System.getProperty("java.io.tmpdir") + "/bench-tomcat");
        tomcat.setPort(Integer.parseInt(args[0]));
        tomcat.getConnector().setProperty("maxConnections", "-1");
        Context context = tomcat.addContext("", null);
        context.addServletContainerInitializer(new WsSci(), Set.of(Signal.class));
        // Tomcat answers 404 before any filter runs (the WebSocket upgrade is a filter) unless a servlet maps the path.
        Tomcat.addServlet(context, "default", new DefaultServlet()).addMapping("/");
        tomcat.start();
        System.out.println("listening " + args[0]);
        tomcat.getServer().await();
    }
}
