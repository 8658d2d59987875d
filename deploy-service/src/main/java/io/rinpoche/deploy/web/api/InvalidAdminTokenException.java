package io.rinpoche.deploy.web.api;

/** The admin token is missing, unresolved or too weak; the message never holds its value. */
public class InvalidAdminTokenException extends RuntimeException {

    public InvalidAdminTokenException(String problem) {
        super("admin token (rinpoche.api.admin-token, from ADMIN_TOKEN): " + problem);
    }
}
