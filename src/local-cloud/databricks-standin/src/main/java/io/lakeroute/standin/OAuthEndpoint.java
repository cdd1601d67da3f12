package io.lakeroute.standin;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A workspace's OAuth side for one service principal: the OIDC discovery document and the token
 * endpoint of the client-credentials grant, as the Databricks JDBC driver (through the Databricks
 * SDK) uses them for OAuth machine-to-machine authentication ({@code AuthMech=11;Auth_Flow=1}).
 *
 * <p>What the driver does, seen on the wire: {@code GET <discovery URL>} for {@code
 * token_endpoint}; {@code POST} there with {@code Authorization: Basic base64(id:secret)} and
 * {@code grant_type=client_credentials&scope=all-apis}; it parses the access token as a JWT (a
 * plain string fails with "Invalid serialized unsecured/JWS/JWE object") and sends it as {@code
 * Authorization: Bearer} on every Thrift call. Tokens are HS256-signed with a key of this process
 * and remembered, so the adapter accepts exactly the tokens issued here.
 */
final class OAuthEndpoint {
  /** Where the driver finds the token endpoint, relative to the adapter's root. */
  static final String DISCOVERY_PATH = "/oidc/.well-known/oauth-authorization-server";

  static final String TOKEN_PATH = "/oidc/v1/token";
  private static final Duration LIFETIME = Duration.ofHours(1);

  private final String clientId;
  private final String clientSecret;
  private final byte[] key = new byte[32];
  private final Set<String> issued = ConcurrentHashMap.newKeySet();

  OAuthEndpoint(String clientId, String clientSecret) {
    if (clientId == null || clientSecret == null) {
      throw new IllegalArgumentException("a service principal needs a client id and a secret");
    }
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    new SecureRandom().nextBytes(key);
  }

  /** A response: HTTP status and JSON body. */
  record Answer(int status, String json) {}

  /** The discovery document for an adapter at {@code base} (http://127.0.0.1:port). */
  Answer discovery(String base) {
    return new Answer(
        200,
        "{\"issuer\":\""
            + base
            + "/oidc\",\"authorization_endpoint\":\""
            + base
            + "/oidc/v1/authorize\",\"token_endpoint\":\""
            + base
            + TOKEN_PATH
            + "\",\"grant_types_supported\":[\"client_credentials\"]}");
  }

  /**
   * The client-credentials grant: the client authenticates with HTTP Basic (as the SDK does) or
   * with {@code client_id} and {@code client_secret} in the form; anything else is refused with the
   * RFC 6749 error a workspace gives.
   */
  Answer token(String authorization, String form, String base) {
    Map<String, String> fields = form(form);
    String id = fields.get("client_id");
    String secret = fields.get("client_secret");
    if (authorization != null && authorization.startsWith("Basic ")) {
      String pair =
          new String(
              Base64.getDecoder().decode(authorization.substring(6).strip()),
              StandardCharsets.UTF_8);
      int colon = pair.indexOf(':');
      if (colon > 0) {
        id = URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8);
        secret = URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8);
      }
    }
    if (!"client_credentials".equals(fields.get("grant_type"))) {
      return new Answer(400, error("unsupported_grant_type", "Only client_credentials is served"));
    }
    if (!clientId.equals(id) || !clientSecret.equals(secret)) {
      return new Answer(401, error("invalid_client", "Client authentication failed"));
    }
    String token = jwt(base, fields.getOrDefault("scope", "all-apis"));
    issued.add(token);
    return new Answer(
        200,
        "{\"access_token\":\""
            + token
            + "\",\"token_type\":\"Bearer\",\"expires_in\":"
            + LIFETIME.toSeconds()
            + ",\"scope\":\"all-apis\"}");
  }

  /** Whether {@code token} was issued here. */
  boolean issued(String token) {
    return issued.contains(token);
  }

  private String jwt(String base, String scope) {
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    Instant now = Instant.now();
    String header = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    String claims =
        "{\"iss\":\""
            + base
            + "/oidc\",\"sub\":\""
            + clientId
            + "\",\"client_id\":\""
            + clientId
            + "\",\"scope\":\""
            + scope
            + "\",\"jti\":\""
            + java.util.UUID.randomUUID()
            + "\",\"iat\":"
            + now.getEpochSecond()
            + ",\"exp\":"
            + now.plus(LIFETIME).getEpochSecond()
            + "}";
    String signed =
        url.encodeToString(header.getBytes(StandardCharsets.UTF_8))
            + "."
            + url.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return signed
          + "."
          + url.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  private static String error(String code, String description) {
    return "{\"error\":\"" + code + "\",\"error_description\":\"" + description + "\"}";
  }

  private static Map<String, String> form(String body) {
    Map<String, String> fields = new HashMap<>();
    for (String pair : body.split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        fields.put(
            URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
      }
    }
    return fields;
  }
}
