// The jobs of every catalogued app (apps/*/app.yaml). ./platform up writes the catalogue's list for Jenkins
// (generated/jenkins/apps.tsv: name, code folder in the repository, image) and mounts it at APPS_FILE; a change
// to it recreates the master, and this seed runs again at start-up. Per app:
//  - <app>: a multibranch pipeline over the GitLab project (gitlab-branch-source): branches, merge requests
//    and tags, each running the branch's own <code>/Jenkinsfile. These builds test and build only: no
//    credential they can bind lets them push.
//  - releases/<app>: the release job, its pipeline pipelines/release.groovy from this image (not from a
//    branch) with the app's folder and image filled in. The folder `releases` holds the registry's push
//    credential; jobs outside the folder cannot bind it.
String gitlabProject = required('GITLAB_PROJECT', 'the GitLab project of the apps, e.g. team/rinpoche')
String registryUser = required('REGISTRY_USER', 'the registry account the release jobs push with')
String registryPassword = required('REGISTRY_PASSWORD', 'that account\'s password')
List<Map<String, String>> apps = catalogue(setting('APPS_FILE', '/etc/rinpoche/apps/apps.tsv'))
String releasePipeline = new File(setting('RELEASE_PIPELINE', '/usr/share/jenkins/pipelines/release.groovy')).text

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

apps.each { app ->
    multibranchPipelineJob(app.name) {
        displayName(app.name)
        description("Tests and builds every branch, merge request and tag of ${gitlabProject} with ${app.code}/Jenkinsfile; develop, master and release tags start releases/${app.name}.")
        branchSources {
            branchSource {
                source {
                    gitlab {
                        id(app.name)
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
                scriptPath("${app.code}/Jenkinsfile")
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

    pipelineJob("releases/${app.name}") {
        description("Releases develop, master or a tag X.Y.Z of ${app.name}: test, build, push. Started by the ${app.name} pipeline.")
        parameters {
            stringParam('GIT_REF', '', 'develop, master or a release tag X.Y.Z')
        }
        definition {
            cps {
                script(releasePipeline.replace('@APP_CODE@', app.code).replace('@APP_IMAGE@', app.image))
                sandbox(true)
            }
        }
    }
}

// The lines of the catalogue's list; '#' starts a comment. A line that is not name, folder, image fails the seed.
List<Map<String, String>> catalogue(String path) {
    File file = new File(path)
    if (!file.isFile()) {
        throw new IllegalStateException("${path} is missing: ./platform up writes it from the app catalogue")
    }
    List<Map<String, String>> apps = []
    file.readLines('UTF-8').eachWithIndex { String line, int index ->
        if (line.trim() && !line.startsWith('#')) {
            List<String> fields = line.split('\t') as List
            if (fields.size() != 3 || !(fields[0] ==~ /[a-z][a-z0-9-]+/) || !(fields[1] ==~ /[A-Za-z0-9._\/-]+/)
                    || !(fields[2] ==~ /[a-z0-9._\/-]+/)) {
                throw new IllegalStateException("${path}:${index + 1}: expected name, code folder and image separated by tabs: ${line}")
            }
            apps << [name: fields[0], code: fields[1], image: fields[2]]
        }
    }
    return apps
}

// A value from the seed's binding (the tests set them) or the master's environment.
String setting(String name, String fallback) {
    if (binding.hasVariable(name)) {
        return binding.getVariable(name)
    }
    return System.getenv(name) ?: fallback
}

String required(String name, String meaning) {
    String value = setting(name, '')
    if (!value) {
        throw new IllegalStateException("${name} is not set: ${meaning}")
    }
    return value
}
