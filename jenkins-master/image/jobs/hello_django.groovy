// The example app as a multibranch pipeline: every branch with examples/hello-django/Jenkinsfile
// builds and tests; the Jenkinsfile pushes develop and master only. The repository URL comes from the
// environment (APP_REPOSITORY_URL), so the same seed serves any GitLab.
String repository = System.getenv('APP_REPOSITORY_URL')
if (!repository) {
    throw new IllegalStateException('APP_REPOSITORY_URL is not set: the hello-django job needs its repository URL')
}

multibranchPipelineJob('hello-django') {
    displayName('hello-django')
    description("Builds ${repository}: develop -> staging, master -> production (see examples/hello-django/Jenkinsfile).")
    branchSources {
        git {
            id('hello-django')
            remote(repository)
            credentialsId('gitlab-checkout')
        }
    }
    factory {
        workflowBranchProjectFactory {
            scriptPath('examples/hello-django/Jenkinsfile')
        }
    }
    // A GitLab push hook to <jenkins>/git/notifyCommit?url=<repository> scans at once; this is the fallback.
    triggers {
        periodicFolderTrigger {
            interval('5m')
        }
    }
    orphanedItemStrategy {
        discardOldItems {
            numToKeep(20)
        }
    }
}
