package io.rinpoche.deploy.state;

import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * Puts the branch on the remote's tip and replays the local commits the remote lacks on top, oldest first,
 * each with its message and author. A commit is replayed as what it changed - pins set or removed, files
 * rewritten - not as a textual patch, so two pins on neighbouring lines never conflict; where both sides
 * changed the same pin, the local (newer) change wins, as it would have had it been pushed first.
 */
final class Replay {

    /** Writes one commit on top of the branch's tip. */
    interface Committer {
        String commit(Map<String, byte[]> files, String message, PersonIdent author);
    }

    /** What one local commit changed. */
    private record Change(RevCommit commit, Map<String, PinChange> pins, Map<String, byte[]> files) {
    }

    /** The pins a commit set (to an image) or removed (null) in one environment's file. */
    private record PinChange(Environment environment, Map<String, ImageRef> set) {
    }

    private final Repository repository;
    private final Committer committer;

    Replay(Repository repository, Committer committer) {
        this.repository = repository;
        this.committer = committer;
    }

    /** Moves the branch from {@code ours} (null: no commit yet) onto {@code theirs}, keeping what only ours has. */
    void onto(ObjectId theirs, ObjectId ours) {
        try (RevWalk walk = new RevWalk(repository)) {
            List<Change> local = ours == null ? List.of() : localChanges(walk, theirs, ours);
            force(theirs, ours);
            for (Change change : local) {
                committer.commit(files(change), change.commit().getFullMessage(), change.commit().getAuthorIdent());
            }
        } catch (IOException e) {
            throw new StateException("cannot replay the local commits onto the remote's: " + e.getMessage(), e);
        }
    }

    private List<Change> localChanges(RevWalk walk, ObjectId theirs, ObjectId ours) throws IOException {
        walk.sort(RevSort.TOPO);
        walk.sort(RevSort.REVERSE, true);
        walk.markStart(walk.parseCommit(ours));
        walk.markUninteresting(walk.parseCommit(theirs));
        List<Change> changes = new ArrayList<>();
        for (RevCommit commit : walk) {
            changes.add(change(walk, commit));
        }
        return changes;
    }

    private Change change(RevWalk walk, RevCommit commit) throws IOException {
        Map<String, PinChange> pins = new HashMap<>();
        Map<String, byte[]> files = new HashMap<>();
        RevCommit parent = commit.getParentCount() == 0 ? null : walk.parseCommit(commit.getParent(0));
        try (TreeWalk diff = new TreeWalk(repository)) {
            diff.setRecursive(true);
            diff.setFilter(TreeFilter.ANY_DIFF);
            if (parent == null) {
                diff.addTree(new EmptyTreeIterator());
            } else {
                diff.addTree(parent.getTree());
            }
            diff.addTree(commit.getTree());
            while (diff.next()) {
                String path = diff.getPathString();
                Environment environment = environmentOf(path);
                if (environment != null && parent != null) {
                    pins.put(path, pinChange(environment, parent, commit));
                } else if (!diff.getObjectId(1).equals(ObjectId.zeroId())) {
                    files.put(path, repository.open(diff.getObjectId(1)).getBytes());
                }
            }
        }
        return new Change(commit, pins, files);
    }

    private PinChange pinChange(Environment environment, RevCommit parent, RevCommit commit) throws IOException {
        PinFile before = StateRepository.pins(parent, environment, repository);
        PinFile after = StateRepository.pins(commit, environment, repository);
        Map<String, ImageRef> set = new HashMap<>();
        before.pins().keySet().stream().filter(key -> !after.pins().containsKey(key)).forEach(key -> set.put(key, null));
        after.pins().forEach((key, image) -> {
            if (!image.equals(before.pins().get(key))) {
                set.put(key, image);
            }
        });
        return new PinChange(environment, set);
    }

    // The commit's changes applied to the branch as it is now.
    private Map<String, byte[]> files(Change change) throws IOException {
        Map<String, byte[]> files = new HashMap<>(change.files());
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit tip = walk.parseCommit(repository.resolve(StateRepository.REF));
            for (Map.Entry<String, PinChange> entry : change.pins().entrySet()) {
                PinFile pins = StateRepository.pins(tip, entry.getValue().environment(), repository);
                for (Map.Entry<String, ImageRef> pin : entry.getValue().set().entrySet()) {
                    pins = pins.with(pin.getKey(), pin.getValue());
                }
                files.put(entry.getKey(), pins.format());
            }
        }
        return files;
    }

    private void force(ObjectId theirs, ObjectId ours) throws IOException {
        RefUpdate update = repository.updateRef(StateRepository.REF);
        update.setNewObjectId(theirs);
        update.setExpectedOldObjectId(ours == null ? ObjectId.zeroId() : ours);
        update.setRefLogMessage("rinpoche: take the remote's commits", false);
        RefUpdate.Result result = update.forceUpdate();
        if (result != RefUpdate.Result.NEW && result != RefUpdate.Result.FAST_FORWARD
                && result != RefUpdate.Result.FORCED && result != RefUpdate.Result.NO_CHANGE) {
            throw new StateException("cannot move branch " + StateRepository.BRANCH + " to the remote's tip: " + result);
        }
    }

    // env/<environment>.images.env -> the environment; null for any other path.
    static Environment environmentOf(String path) {
        if (!path.startsWith("env/") || !path.endsWith(".images.env") || path.indexOf('/', 4) >= 0) {
            return null;
        }
        try {
            return Environment.of(path.substring(4, path.length() - ".images.env".length()));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
