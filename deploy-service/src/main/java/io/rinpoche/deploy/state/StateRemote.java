package io.rinpoche.deploy.state;

import java.io.IOException;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteConfig;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional shared copy of the state repository (any git server: GitLab, Gitea, a bare repository on
 * disk), reached over HTTP(S) with a user and a password or access token, or over the file system.
 * The credentials come from secrets and are never written to the repository's config.
 */
public final class StateRemote {

    /** How a push ended. */
    enum PushOutcome { PUSHED, REJECTED, UNREACHABLE }

    private static final Logger log = LoggerFactory.getLogger(StateRemote.class);
    private static final String NAME = "origin";
    private static final String TRACKING = Constants.R_REMOTES + NAME + "/" + StateRepository.BRANCH;

    private final String url;
    private final CredentialsProvider credentials;
    private final int timeoutSeconds;
    // Why the last fetch or push failed; null after one that worked.
    private volatile String problem;

    /**
     * {@code username} and {@code password} may be empty for a remote that needs none. A fetch or push that gets no
     * answer for {@code timeout} fails (JGit's default is to wait forever on a remote that accepts and never answers).
     */
    public StateRemote(String url, String username, String password, Duration timeout) {
        try {
            new URIish(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("rinpoche.state.remote.url is not a git URL: " + e.getMessage());
        }
        this.url = url;
        this.timeoutSeconds = (int) Math.max(1, timeout.toSeconds());
        this.credentials = username == null || username.isEmpty() ? null
                : new UsernamePasswordCredentialsProvider(username, password == null ? "" : password);
    }

    void configure(Repository repository) throws IOException {
        try {
            StoredConfig config = repository.getConfig();
            RemoteConfig remote = new RemoteConfig(config, NAME);
            List.copyOf(remote.getURIs()).forEach(remote::removeURI);
            remote.addURI(new URIish(url));
            List.copyOf(remote.getFetchRefSpecs()).forEach(remote::removeFetchRefSpec);
            remote.addFetchRefSpec(new RefSpec("+" + StateRepository.REF + ":" + TRACKING));
            remote.update(config);
            config.save();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The remote branch's tip after a fetch; null when the remote has no such branch or cannot be reached. */
    ObjectId fetch(Repository repository) {
        try (Git git = Git.wrap(repository)) {
            git.fetch().setRemote(NAME).setCredentialsProvider(credentials).setTimeout(timeoutSeconds).call();
            problem = null;
            return repository.resolve(TRACKING);
        } catch (InvalidRemoteException | TransportException e) {
            log.warn("state repository: cannot fetch from {}: {}", url, e.getMessage());
            problem = "cannot fetch from the state remote " + url + ": " + e.getMessage();
            return null;
        } catch (GitAPIException | IOException e) {
            throw new StateException("cannot fetch the state repository from " + url + ": " + e.getMessage(), e);
        }
    }

    PushOutcome push(Repository repository) {
        try (Git git = Git.wrap(repository)) {
            Iterable<PushResult> results = git.push().setRemote(NAME).setCredentialsProvider(credentials).setTimeout(timeoutSeconds)
                    .setRefSpecs(new RefSpec(StateRepository.REF + ":" + StateRepository.REF)).call();
            for (PushResult result : results) {
                for (RemoteRefUpdate update : result.getRemoteUpdates()) {
                    switch (update.getStatus()) {
                        case OK, UP_TO_DATE -> {
                        }
                        case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED -> {
                            return PushOutcome.REJECTED;
                        }
                        default -> {
                            log.warn("state repository: push to {} refused: {} {}", url, update.getStatus(),
                                    update.getMessage() == null ? "" : update.getMessage());
                            problem = "the state remote " + url + " refused a push: " + update.getStatus();
                            return PushOutcome.UNREACHABLE;
                        }
                    }
                }
            }
            problem = null;
            return PushOutcome.PUSHED;
        } catch (InvalidRemoteException | TransportException e) {
            log.warn("state repository: cannot push to {}: {}", url, e.getMessage());
            problem = "cannot push to the state remote " + url + ": " + e.getMessage();
            return PushOutcome.UNREACHABLE;
        } catch (GitAPIException e) {
            throw new StateException("cannot push the state repository to " + url + ": " + e.getMessage(), e);
        }
    }

    /** The remote's branch as last fetched or pushed (JGit moves the tracking ref after a push); null before. */
    ObjectId tracking(Repository repository) {
        try {
            return repository.resolve(TRACKING);
        } catch (IOException e) {
            throw new StateException("cannot read " + TRACKING + ": " + e.getMessage(), e);
        }
    }

    /** Why the last fetch or push failed; empty when it worked. */
    Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    @Override
    public String toString() {
        return url;
    }
}
