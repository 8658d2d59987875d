package io.rinpoche.deploy.state;

import io.rinpoche.deploy.model.Environment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.AndTreeFilter;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.treewalk.filter.TreeFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desired state: a bare git repository whose branch {@code main} holds one {@link PinFile} per
 * environment. Every change is a commit, written straight to the object database and published by a
 * compare-and-set of the branch, so there is no working tree or index to go stale when the process is
 * killed: a commit either is on the branch or never happened. One writer at a time (this object's lock),
 * so concurrent changes form a linear history and none is lost.
 *
 * <p>With a {@link StateRemote}, every commit is pushed soon after, on a thread of its own, so a remote that hangs
 * delays no commit; a push refused as non-fast-forward is followed by a fetch, the local commits are replayed onto
 * the remote's (see {@link Replay}) and the push retried. Commits a failed push left local go with the next push.
 */
public final class StateRepository implements AutoCloseable {

    static final String BRANCH = "main";
    static final String REF = Constants.R_HEADS + BRANCH;
    private static final Logger log = LoggerFactory.getLogger(StateRepository.class);
    // A pin file holds a line per service: a file this large is a mistake (or an attack), not a state to read.
    private static final long MAX_FILE = 1024 * 1024;

    private final Repository repository;
    private final StateRemote remote;
    // One fetch or push at a time. Never held with this object's lock around it: a remote that hangs holds only this.
    private final Object network = new Object();
    // The remote's thread: one push running and at most one waiting; a request while one waits is that one.
    private final ThreadPoolExecutor pushes = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(1), runnable -> {
                Thread thread = new Thread(runnable, "state-push");
                thread.setDaemon(true);
                return thread;
            }, new ThreadPoolExecutor.DiscardPolicy());
    private final CountDownLatch firstPull = new CountDownLatch(1);
    // Why the last commit could not be written (a full volume...), until one is; null when the last one was.
    private volatile String writeProblem;

    private StateRepository(Repository repository, StateRemote remote) {
        this.repository = repository;
        this.remote = remote;
    }

    /**
     * Opens the repository at {@code directory}, creating it on first use. Nothing waits on the remote: the first
     * pull (which gives a new machine the remote's history) and every push run on a thread of their own.
     */
    public static StateRepository open(Path directory, StateRemote remote) {
        try {
            Files.createDirectories(directory);
            boolean fresh = !Files.exists(directory.resolve("HEAD"));
            Repository repository = fresh
                    ? Git.init().setBare(true).setInitialBranch(BRANCH).setDirectory(directory.toFile()).call().getRepository()
                    : Git.open(directory.toFile()).getRepository();
            // Packing runs on the caller's thread (the reconcile loop's), not on one of its own.
            repository.getConfig().setBoolean("gc", null, "autoDetach", false);
            repository.getConfig().save();
            StateRepository state = new StateRepository(repository, remote);
            if (remote == null) {
                state.startHistory();
                state.firstPull.countDown();
                return state;
            }
            remote.configure(repository);
            state.pushes.execute(() -> {
                try {
                    state.pullQuietly();
                    state.startHistory();
                } finally {
                    // Whatever the first pull did, nobody waits for it any longer (a full volume fails startHistory).
                    state.firstPull.countDown();
                }
                state.pushNow();
            });
            return state;
        } catch (IOException | GitAPIException e) {
            throw new StateException("cannot open the state repository at " + directory + ": " + e.getMessage(), e);
        }
    }

    private synchronized void startHistory() {
        if (head() == null) {
            commit(Map.of("README.md", README), "Start the desired state of rinpoche's environments", Identities.service());
        }
    }

    /**
     * Waits until the first pull after opening has ended (taken the remote's history, or failed), at most {@code
     * timeout}: what a new machine seeds must not override the pins the remote already has.
     *
     * @return false when it had not ended within {@code timeout}
     */
    public boolean awaitFirstPull(Duration timeout) {
        try {
            return firstPull.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The pins of {@code environment} at the tip of the branch; none when it has no file yet.
     *
     * @throws CorruptStateException naming the file, the line and the commit that last changed the file (say a
     *     broken edit someone pushed to the remote)
     */
    public PinFile pins(Environment environment) {
        try (RevWalk walk = new RevWalk(repository)) {
            ObjectId head = head();
            return head == null ? PinFile.empty(environment) : pins(walk.parseCommit(head), environment, repository);
        } catch (CorruptStateException e) {
            throw new CorruptStateException(e.getMessage() + " (" + lastChange(PinFile.path(environment)) + ")");
        } catch (IOException e) {
            throw new StateException("cannot read " + PinFile.path(environment) + ": " + e.getMessage(), e);
        }
    }

    // e.g. "last changed by commit 1a2b3c4d5e6f, Ada <ada@example.com>: Try v4" - git log -1 -- <path>
    private String lastChange(String path) {
        try (RevWalk walk = new RevWalk(repository)) {
            walk.setTreeFilter(AndTreeFilter.create(PathFilter.create(path), TreeFilter.ANY_DIFF));
            walk.markStart(walk.parseCommit(head()));
            RevCommit commit = walk.next();
            return commit == null ? "no commit changed it" : "last changed by commit " + commit.abbreviate(12).name()
                    + ", " + commit.getAuthorIdent().getName() + " <" + commit.getAuthorIdent().getEmailAddress()
                    + ">: " + io.rinpoche.deploy.model.Texts.abbreviate(commit.getShortMessage());
        } catch (IOException e) {
            return "its last commit cannot be read: " + e.getMessage();
        }
    }

    /** A change to one environment's pins: the new pins, the commit message and who asked. */
    public record Edit(PinFile pins, String message, PersonIdent author) {
    }

    /**
     * Commits what {@code edit} makes of the pins of {@code environment} as they are now - even when it
     * changes nothing, since an outcome is recorded all the same - then pushes when there is a remote.
     * {@code edit} runs under the writer lock, so what it reads cannot change until the commit is on the branch.
     *
     * @return the new commit's id, or null when {@code edit} returned null: nothing to commit
     */
    public synchronized String commit(Environment environment, Function<PinFile, Edit> edit) {
        Edit change = edit.apply(pins(environment));
        if (change == null) {
            return null;
        }
        String id = commit(Map.of(PinFile.path(environment), change.pins().format()), change.message(), change.author());
        pushLater();
        return id;
    }

    /**
     * Fetches the remote's branch and takes its new commits (replaying local ones on top when both moved). The
     * fetch holds only the remote's lock: commits go on meanwhile, and are replayed with the others.
     *
     * @return true when the branch now holds commits it did not hold before
     */
    public boolean pull() {
        if (remote == null) {
            return false;
        }
        synchronized (network) {
            ObjectId theirs = remote.fetch(repository);
            return theirs != null && take(theirs);
        }
    }

    private synchronized boolean take(ObjectId theirs) {
        ObjectId before = head();
        if (theirs.equals(before) || contains(before, theirs)) {
            return false;
        }
        new Replay(repository, this::commit).onto(theirs, before);
        log.info("state repository: took the remote's commits, branch {} is now at {}", BRANCH, head().name());
        return true;
    }

    private void pullQuietly() {
        try {
            pull();
        } catch (StateException e) {
            log.error("state repository: the first pull failed: {}", e.getMessage());
        }
    }

    // True when `commit` is `tip` or one of its ancestors: only local commits are new (not yet pushed).
    private boolean contains(ObjectId tip, ObjectId commit) {
        if (tip == null) {
            return false;
        }
        try (RevWalk walk = new RevWalk(repository)) {
            return walk.isMergedInto(walk.parseCommit(commit), walk.parseCommit(tip));
        } catch (IOException e) {
            throw new StateException("cannot compare the branch with the remote's: " + e.getMessage(), e);
        }
    }

    /**
     * Pushes soon, on the remote's own thread: a commit never waits on the remote. Requests while a push is waiting
     * to run are one push; a push that fails leaves the commits local until the next request (the reconcile loop
     * asks every pass while any are unpushed).
     */
    public void pushLater() {
        if (remote != null) {
            pushes.execute(this::pushNow);
        }
    }

    /** Pushes what the remote does not have yet, now; a non-fast-forward is pulled, replayed and pushed again. */
    public void push() {
        if (remote != null) {
            pushNow();
        }
    }

    private void pushNow() {
        synchronized (network) {
            for (int attempt = 1; attempt <= 5; attempt++) {
                if (!unpushed()) {
                    return;
                }
                switch (remote.push(repository)) {
                    case PUSHED -> {
                        return;
                    }
                    case UNREACHABLE -> {
                        log.warn("state repository: the remote cannot be reached; the commits stay local until the"
                                + " next push");
                        return;
                    }
                    case REJECTED -> {
                        log.info("state repository: push rejected as non-fast-forward (attempt {}); pulling and"
                                + " replaying", attempt);
                        pull();
                    }
                }
            }
            log.warn("state repository: the remote kept moving; giving up this push, the next commit or pull retries");
        }
    }

    // The branch has commits the remote's branch (as last fetched or pushed) lacks.
    private boolean unpushed() {
        ObjectId head = head();
        ObjectId theirs = remote.tracking(repository);
        return head != null && !head.equals(theirs);
    }

    /** Why the last commit failed to be written, for the health endpoint; empty once a commit is written again. */
    public Optional<String> writeProblem() {
        return Optional.ofNullable(writeProblem);
    }

    /**
     * What is wrong with the remote, for the health endpoint: why the last fetch or push failed, and how many
     * local commits it does not have yet; empty when there is no remote or the last exchange worked.
     */
    public Optional<String> remoteProblem() {
        if (remote == null) {
            return Optional.empty();
        }
        Optional<String> problem = remote.problem();
        if (problem.isEmpty() && firstPull.getCount() > 0) {
            return Optional.of("the state remote " + remote + " has not answered yet");
        }
        return problem.map(text -> unpushed() ? text + "; local commits not pushed yet" : text);
    }

    /**
     * The pins of {@code environment} at {@code revision} (a commit id, abbreviated or not, or any git revision
     * expression), which must be on the branch.
     *
     * @throws IllegalArgumentException when there is no such revision on the branch
     */
    public PinFile pinsAt(String revision, Environment environment) {
        try (RevWalk walk = new RevWalk(repository)) {
            ObjectId id = repository.resolve(revision + "^{commit}");
            if (id == null || head() == null || !walk.isMergedInto(walk.parseCommit(id), walk.parseCommit(head()))) {
                throw new IllegalArgumentException("no revision '" + revision + "' on branch " + BRANCH
                        + " of the state repository");
            }
            return pins(walk.parseCommit(id), environment, repository);
        } catch (RevisionSyntaxException | AmbiguousObjectException e) {
            throw new IllegalArgumentException("not a revision of the state repository: '" + revision + "'");
        } catch (MissingObjectException | IncorrectObjectTypeException e) {
            // A full commit id resolves without a lookup: the object is looked for only when it is read.
            throw new IllegalArgumentException("no revision '" + revision + "' on branch " + BRANCH
                    + " of the state repository");
        } catch (IOException e) {
            throw new StateException("cannot read revision " + revision + ": " + e.getMessage(), e);
        }
    }

    /**
     * Packs the repository when loose objects have piled up (git's {@code gc --auto}: more than {@code gc.auto},
     * 6700, of them). Every commit writes four loose objects; reading 10,000 commits from loose objects is
     * ten times slower than from a pack, and takes 25 times the disk.
     */
    public void maintain() {
        repository.autoGC(NullProgressMonitor.INSTANCE);
    }

    /** The branch's tip, or null before the first commit. */
    public ObjectId head() {
        try {
            return repository.resolve(REF);
        } catch (IOException e) {
            throw new StateException("cannot read branch " + BRANCH + ": " + e.getMessage(), e);
        }
    }

    Repository repository() {
        return repository;
    }

    @Override
    public void close() {
        pushes.shutdownNow();
        repository.close();
    }

    /** The pins of {@code environment} in {@code commit}'s tree. */
    static PinFile pins(RevCommit commit, Environment environment, Repository repository) throws IOException {
        byte[] content = file(repository, commit, PinFile.path(environment));
        return content == null ? PinFile.empty(environment) : PinFile.parse(environment, content);
    }

    /**
     * The content of {@code path} in {@code commit}, or null when it has no such file.
     *
     * @throws CorruptStateException when it is no regular file (a directory, a submodule) or larger than a pin file
     *     can sensibly be
     */
    static byte[] file(Repository repository, RevCommit commit, String path) throws IOException {
        try (TreeWalk walk = TreeWalk.forPath(repository, path, commit.getTree())) {
            if (walk == null) {
                return null;
            }
            FileMode mode = walk.getFileMode(0);
            if (!FileMode.REGULAR_FILE.equals(mode) && !FileMode.EXECUTABLE_FILE.equals(mode)) {
                throw new CorruptStateException(path + " is not a regular file");
            }
            ObjectLoader blob = repository.open(walk.getObjectId(0), Constants.OBJ_BLOB);
            if (blob.getSize() > MAX_FILE) {
                throw new CorruptStateException(path + " is larger than " + MAX_FILE / 1024 + " KiB");
            }
            return blob.getBytes();
        }
    }

    // Writes the files over the tip's tree and moves the branch to the new commit if nobody moved it meanwhile.
    private String commit(Map<String, byte[]> files, String message, PersonIdent author) {
        ObjectId parent = head();
        try {
            ObjectId commit = write(parent, files, message, author);
            RefUpdate.Result result = moveBranch(parent, commit, message);
            if (result != RefUpdate.Result.NEW && result != RefUpdate.Result.FAST_FORWARD) {
                throw new StateException("cannot move branch " + BRANCH + " to the new commit: " + result);
            }
            writeProblem = null;
            return commit.name();
        } catch (IOException e) {
            writeProblem = "the state repository cannot be written (hooks are answered 503 until it can): "
                    + e.getMessage();
            throw new StateException("cannot commit to the state repository: " + e.getMessage(), e);
        }
    }

    // A ref locked by someone else (packing refs in maintain(), a git command on the repository) is retried
    // for a second before the commit is given up: a hook then gets its 503 and is redelivered.
    private RefUpdate.Result moveBranch(ObjectId parent, ObjectId commit, String message) throws IOException {
        RefUpdate.Result result = RefUpdate.Result.LOCK_FAILURE;
        for (int attempt = 0; attempt < 20 && result == RefUpdate.Result.LOCK_FAILURE; attempt++) {
            if (attempt > 0) {
                pause();
            }
            RefUpdate update = repository.updateRef(REF);
            update.setNewObjectId(commit);
            update.setExpectedOldObjectId(parent == null ? ObjectId.zeroId() : parent);
            update.setRefLogMessage("rinpoche: " + message.lines().findFirst().orElse(""), false);
            result = update.update();
        }
        return result;
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateException("interrupted while waiting for the branch's lock");
        }
    }

    private ObjectId write(ObjectId parent, Map<String, byte[]> files, String message, PersonIdent author)
            throws IOException {
        try (ObjectInserter inserter = repository.newObjectInserter(); ObjectReader reader = repository.newObjectReader();
             RevWalk walk = new RevWalk(reader)) {
            DirCache tree = parent == null ? DirCache.newInCore() : DirCache.read(reader, walk.parseCommit(parent).getTree());
            DirCacheEditor editor = tree.editor();
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                ObjectId blob = inserter.insert(Constants.OBJ_BLOB, file.getValue());
                editor.add(new DirCacheEditor.PathEdit(file.getKey()) {
                    @Override
                    public void apply(DirCacheEntry entry) {
                        entry.setFileMode(FileMode.REGULAR_FILE);
                        entry.setObjectId(blob);
                    }
                });
            }
            editor.finish();
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(tree.writeTree(inserter));
            if (parent != null) {
                commit.setParentId(parent);
            }
            commit.setAuthor(author);
            commit.setCommitter(Identities.service());
            commit.setMessage(message);
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            return id;
        }
    }

    private static final byte[] README = """
            # rinpoche desired state

            Written by rinpoche's deploy service: `env/<environment>.images.env` pins each service of an environment
            to an image by digest (`APP_IMAGE=registry/repository@sha256:...`). Every deploy is a commit whose trailers
            (`Rinpoche-*`) say what, from where, why and how it ended. Edit a pin and push: the deploy service rolls it
            out like a hook. `docker compose --env-file env/production.images.env up -d` reproduces an environment.
            """.getBytes(StandardCharsets.UTF_8);
}
