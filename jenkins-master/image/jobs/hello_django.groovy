// The example app's jobs. Values come from the master's environment (see jenkins-master/README.md).
//  - hello-django: a multibranch pipeline over the GitLab project (gitlab-branch-source): branches, merge
//    requests and tags, each running the branch's own examples/hello-django/Jenkinsfile. These builds test
//    and build only: no credential they can bind lets them push.
//  - releases/hello-django: the release job, its pipeline from this image (pipelines/), not from a branch.
//    The folder `releases` holds the registry's push credential; jobs outside the folder cannot bind it.
String gitlabProject = required('GITLAB_PROJECT', 'the GitLab project of the app, e.g. team/rinpoche')
String registryUser = required('REGISTRY_USER', 'the registry account the release job pushes with')
String registryPassword = required('REGISTRY_PASSWORD', 'that account\'s password')

multibranchPipelineJob('hello-django') {
    displayName('hello-django')
    description("Tests and builds every branch, merge request and tag of ${gitlabProject}; develop, master and release tags start releases/hello-django.")
    branchSources {
        branchSource {
            source {
                gitlab {
                    id('hello-django')
                    serverName('gitlab')
                    projectOwner(gitlabProject.substring(0, gitlabProject.lastIndexOf('/')))
                    projectPath(gitlabProject)
                    credentialsId('gitlab-checkout')
                    traits {
                        // 1: branches that are not also merge requests; merge requests as merged with their target.
                        gitLabBranchDiscovery {
                            strategyId(1)
                        }
                        gitLabOriginDiscovery {
                            strategyId(1)
                        }
                        gitLabTagDiscovery()
                    }
                }
            }
        }
    }
    factory {
        workflowBranchProjectFactory {
            scriptPath('examples/hello-django/Jenkinsfile')
        }
    }
    // GitLab's webhook (registered by gitlab-branch-source, see the README) scans at once; this is the fallback.
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

folder('releases') {
    description('Release jobs: their pipelines come from the platform repository; the registry push credential lives here only.')
    properties {
        folderCredentialsProperty {
            domainCredentials {
                domainCredentials {
                    domain {
                        name('')
                        description('')
                    }
                    credentials {
                        usernamePasswordCredentialsImpl {
                            scope('GLOBAL')
                            id('registry-push')
                            description('rinpoche registry (push), for release jobs only')
                            username(registryUser)
                            password(registryPassword)
                        }
                    }
                }
            }
        }
    }
}

pipelineJob('releases/hello-django') {
    description('Releases develop, master or a tag X.Y.Z of hello-django: test, build, push. Started by the hello-django pipeline.')
    parameters {
        stringParam('GIT_REF', '', 'develop, master or a release tag X.Y.Z')
    }
    definition {
        cps {
            script(new File('/usr/share/jenkins/pipelines/hello_django_release.groovy').text)
            sandbox(true)
        }
    }
}

String required(String name, String meaning) {
    String value = System.getenv(name)
    if (!value) {
        throw new IllegalStateException("${name} is not set: ${meaning}")
    }
    return value
}
